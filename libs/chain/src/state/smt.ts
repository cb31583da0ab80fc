import { sha256, bytesKey } from '@trucom/crypto';

/**
 * A compacted sparse Merkle tree over 256-bit paths (SHA-256 of the state key): the authenticated map
 * behind the app hash. A subtree holding a single leaf is stored as that leaf, so a tree of n keys has
 * depth about log2(n) and an update touches O(log n) nodes. The shape depends only on the key set, never
 * on insertion order, so every validator derives the same root from the same state.
 *
 * Nodes are content-addressed (node hash → encoded node) and immutable; the functions here are pure over
 * a NodeStore and report new nodes through it. See docs/adr/0001-state-tree.md for why this tree.
 *
 *   leaf  = 0x00 || path(32) || sha256(value)(32)     hash = sha256(leaf)
 *   inner = 0x01 || left(32) || right(32)             hash = sha256(inner)
 *   empty subtree hash = 32 zero bytes
 */

export const EMPTY_ROOT = new Uint8Array(32);
const LEAF = 0;
const INNER = 1;

export interface NodeStore {
  getNode(hash: Uint8Array): Uint8Array | undefined;
  putNode(hash: Uint8Array, node: Uint8Array): void;
}

export interface TreeUpdate {
  readonly path: Uint8Array; // 32 bytes
  readonly valueHash: Uint8Array | null; // null deletes
}

interface Leaf {
  readonly path: Uint8Array;
  readonly valueHash: Uint8Array;
}

export function isEmpty(hash: Uint8Array): boolean {
  for (let i = 0; i < hash.length; i++) if (hash[i] !== 0) return false;
  return true;
}

function bit(path: Uint8Array, depth: number): number {
  return (path[depth >> 3]! >> (7 - (depth & 7))) & 1;
}

function comparePaths(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

function loadNode(store: NodeStore, hash: Uint8Array): Uint8Array {
  const node = store.getNode(hash);
  if (!node) throw new Error(`state tree node ${Buffer.from(hash).toString('hex')} is missing`);
  return node;
}

function putLeaf(store: NodeStore, leaf: Leaf): Uint8Array {
  const node = new Uint8Array(65);
  node[0] = LEAF;
  node.set(leaf.path, 1);
  node.set(leaf.valueHash, 33);
  const hash = sha256(node);
  store.putNode(hash, node);
  return hash;
}

function leafOf(store: NodeStore, hash: Uint8Array): Leaf | undefined {
  if (isEmpty(hash)) return undefined;
  const node = loadNode(store, hash);
  return node[0] === LEAF ? { path: node.subarray(1, 33), valueHash: node.subarray(33, 65) } : undefined;
}

/** Joins two subtrees, keeping the canonical form: a lone leaf floats up instead of hanging under empties. */
function join(store: NodeStore, left: Uint8Array, right: Uint8Array): Uint8Array {
  const leftEmpty = isEmpty(left);
  const rightEmpty = isEmpty(right);
  if (leftEmpty && rightEmpty) return EMPTY_ROOT;
  if (leftEmpty !== rightEmpty) {
    const only = leftEmpty ? right : left;
    if (leafOf(store, only)) return only;
  }
  const node = new Uint8Array(65);
  node[0] = INNER;
  node.set(left, 1);
  node.set(right, 33);
  const hash = sha256(node);
  store.putNode(hash, node);
  return hash;
}

function build(store: NodeStore, leaves: Leaf[], depth: number): Uint8Array {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return putLeaf(store, leaves[0]!);
  const split = leaves.findIndex((l) => bit(l.path, depth) === 1);
  const cut = split === -1 ? leaves.length : split;
  return join(store, build(store, leaves.slice(0, cut), depth + 1), build(store, leaves.slice(cut), depth + 1));
}

function update(store: NodeStore, root: Uint8Array, depth: number, updates: TreeUpdate[]): Uint8Array {
  if (updates.length === 0) return root;
  if (isEmpty(root)) {
    return build(store, updates.filter((u) => u.valueHash).map((u) => ({ path: u.path, valueHash: u.valueHash! })), depth);
  }
  const node = loadNode(store, root);
  if (node[0] === LEAF) {
    const existing: Leaf = { path: node.subarray(1, 33), valueHash: node.subarray(33, 65) };
    const replaced = updates.some((u) => comparePaths(u.path, existing.path) === 0);
    const leaves = updates.filter((u) => u.valueHash).map((u) => ({ path: u.path, valueHash: u.valueHash! }));
    if (!replaced) leaves.push(existing);
    leaves.sort((a, b) => comparePaths(a.path, b.path));
    return build(store, leaves, depth);
  }
  const split = updates.findIndex((u) => bit(u.path, depth) === 1);
  const cut = split === -1 ? updates.length : split;
  const left = update(store, node.subarray(1, 33), depth + 1, updates.slice(0, cut));
  const right = update(store, node.subarray(33, 65), depth + 1, updates.slice(cut));
  return join(store, left, right);
}

/** Applies a batch of updates (any order, last one per path wins) and returns the new root. */
export function applyUpdates(store: NodeStore, root: Uint8Array, updates: readonly TreeUpdate[]): Uint8Array {
  const byPath = new Map<string, TreeUpdate>();
  for (const u of updates) byPath.set(bytesKey(u.path), u);
  const sorted = [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path));
  return update(store, root, 0, sorted);
}

/** Inclusion or exclusion proof: the sibling hashes from the root down to where the path ends. */
export interface TreeProof {
  readonly siblings: Uint8Array[];
  /** The leaf found at the end of the path (may hold another path: then it proves exclusion). */
  readonly leaf: Leaf | undefined;
}

export function prove(store: NodeStore, root: Uint8Array, path: Uint8Array): TreeProof {
  const siblings: Uint8Array[] = [];
  let hash = root;
  for (let depth = 0; ; depth++) {
    if (isEmpty(hash)) return { siblings, leaf: undefined };
    const node = loadNode(store, hash);
    if (node[0] === LEAF) return { siblings, leaf: { path: node.subarray(1, 33), valueHash: node.subarray(33, 65) } };
    const goRight = bit(path, depth) === 1;
    siblings.push(goRight ? node.subarray(1, 33) : node.subarray(33, 65));
    hash = goRight ? node.subarray(33, 65) : node.subarray(1, 33);
  }
}

/** Recomputes the root from a proof; true when it proves `valueHash` (or absence, if null) at `path`. */
export function verifyProof(root: Uint8Array, path: Uint8Array, valueHash: Uint8Array | null, proof: TreeProof): boolean {
  let hash: Uint8Array;
  if (valueHash) {
    if (!proof.leaf || comparePaths(proof.leaf.path, path) !== 0 || Buffer.compare(proof.leaf.valueHash, valueHash) !== 0) return false;
    hash = sha256(Uint8Array.of(LEAF), proof.leaf.path, proof.leaf.valueHash);
  } else if (proof.leaf) {
    if (comparePaths(proof.leaf.path, path) === 0) return false;
    hash = sha256(Uint8Array.of(LEAF), proof.leaf.path, proof.leaf.valueHash);
  } else {
    hash = EMPTY_ROOT;
  }
  for (let depth = proof.siblings.length - 1; depth >= 0; depth--) {
    const sibling = proof.siblings[depth]!;
    const [l, r] = bit(path, depth) === 1 ? [sibling, hash] : [hash, sibling];
    hash = isEmpty(l) && isEmpty(r) ? EMPTY_ROOT : sha256(Uint8Array.of(INNER), l, r);
  }
  return Buffer.compare(hash, root) === 0;
}
