/**
 * Storage proofs: the provider of a replica answers a seed (derived by the chain from a block hash)
 * with the blocks on the path from the deal's root CID down to one challenged leaf. The CID is the
 * commitment: no setup, and the verifier needs nothing but the root, the seed and the blocks.
 *
 * Challenge walk (the rule both sides follow):
 * - target = uint64 big-endian of the first 8 bytes of sha256(seed).
 * - At the node of depth d (root = 0), a raw block (codec 0x55) or a dag-pb node without links is the
 *   leaf: the walk stops there.
 * - Otherwise, when every link carries a Tsize and their sum T is positive: t = target mod T; choose
 *   the link whose cumulative Tsize range [start, start + Tsize) holds t; the child's target is
 *   t - start. Files (the importer writes Tsize on every link) and directories both walk this way, so
 *   leaves are challenged in proportion to their bytes.
 * - Otherwise (a link without Tsize, or all Tsizes zero): choose link uint64(sha256(seed || uint32be(d)))
 *   mod link count; the target is carried down unchanged.
 * All arithmetic is on bigint: deterministic, no floats.
 */
import { decode as decodeDagPb, type PBNode } from '@ipld/dag-pb';
import { createHash } from 'node:crypto';
import { CID } from 'multiformats/cid';
import { DAG_PB_CODE, MAX_BLOCK_BYTES, RAW_CODE, assertSupportedCid, cidHasDigest, isSupportedCid } from './block.js';
import { BlockMismatchError } from './errors.js';

// OpenSSL's SHA-256: deterministic like any SHA-256, and ~20× faster than pure JS on the 256 KiB
// leaves validators hash for every proof.
const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());

/** Most descents from the root to the leaf (a proof holds at most MAX_PROOF_DEPTH + 1 blocks). */
export const MAX_PROOF_DEPTH = 32;
/** Largest block a proof may hold (MAX_BLOCK_BYTES, above the 1 MiB chunks of `unixfs-v1-2025`). */
export const MAX_PROOF_BLOCK_BYTES = MAX_BLOCK_BYTES;
/** Largest sum of block sizes in one proof. */
export const MAX_PROOF_BYTES = 4 * 1024 * 1024;

export type StorageProofResult = { ok: true; leaf: string; depth: number } | { ok: false; reason: string };

type Step = { kind: 'leaf' } | { kind: 'descend'; next: CID; target: bigint } | { kind: 'invalid'; reason: string };

function uint64(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

function initialTarget(seed: Uint8Array): bigint {
  return uint64(sha256(seed));
}

function fallbackIndex(seed: Uint8Array, depth: number, count: number): number {
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  new DataView(input.buffer).setUint32(seed.length, depth);
  return Number(uint64(sha256(input)) % BigInt(count));
}

/** Index of the link the walk descends into, and the target carried to that child. */
function chooseLink(node: PBNode, seed: Uint8Array, depth: number, target: bigint): { index: number; target: bigint } {
  const sizes: bigint[] = [];
  let total = 0n;
  for (const link of node.Links) {
    if (link.Tsize === undefined || !Number.isSafeInteger(link.Tsize) || link.Tsize < 0) {
      return { index: fallbackIndex(seed, depth, node.Links.length), target };
    }
    const size = BigInt(link.Tsize);
    sizes.push(size);
    total += size;
  }
  if (total === 0n) return { index: fallbackIndex(seed, depth, node.Links.length), target };
  const t = target % total;
  let start = 0n;
  for (let i = 0; i < sizes.length; i++) {
    if (t < start + sizes[i]!) return { index: i, target: t - start };
    start += sizes[i]!;
  }
  throw new Error('unreachable: t < total');
}

/** One step of the walk on a block already known to match `cid`. */
function walkStep(cid: CID, bytes: Uint8Array, seed: Uint8Array, depth: number, target: bigint): Step {
  if (cid.code === RAW_CODE) return { kind: 'leaf' };
  if (cid.code !== DAG_PB_CODE) return { kind: 'invalid', reason: `codec 0x${cid.code.toString(16)} is neither raw nor dag-pb` };
  let node: PBNode;
  try {
    node = decodeDagPb(bytes);
  } catch (err) {
    return { kind: 'invalid', reason: `malformed dag-pb node (${(err as Error).message})` };
  }
  if (node.Links.length === 0) return { kind: 'leaf' };
  const choice = chooseLink(node, seed, depth, target);
  return { kind: 'descend', next: node.Links[choice.index]!.Hash, target: choice.target };
}

/** Blocks from the root to the challenged leaf, root first. Throws when a block is missing, corrupt or unsupported. */
export async function buildStorageProof(
  root: CID | string,
  seed: Uint8Array,
  get: (cid: CID) => Promise<Uint8Array>,
): Promise<Uint8Array[]> {
  let cid = typeof root === 'string' ? CID.parse(root) : root;
  let target = initialTarget(seed);
  const blocks: Uint8Array[] = [];
  let bytesTotal = 0;
  for (let depth = 0; depth <= MAX_PROOF_DEPTH; depth++) {
    assertSupportedCid(cid);
    const bytes = await get(cid);
    if (!cidHasDigest(cid, sha256(bytes))) throw new BlockMismatchError(cid.toString());
    bytesTotal += bytes.length;
    if (bytes.length > MAX_PROOF_BLOCK_BYTES || bytesTotal > MAX_PROOF_BYTES) {
      throw new Error(`storage proof for ${root.toString()} exceeds the size bounds at depth ${depth}`);
    }
    blocks.push(bytes);
    const step = walkStep(cid, bytes, seed, depth, target);
    if (step.kind === 'leaf') return blocks;
    if (step.kind === 'invalid') throw new Error(`cannot walk ${cid.toString()} at depth ${depth}: ${step.reason}`);
    cid = step.next;
    target = step.target;
  }
  throw new Error(`the DAG under ${root.toString()} is deeper than MAX_PROOF_DEPTH (${MAX_PROOF_DEPTH})`);
}

/** Pure and synchronous (runs inside validators' block execution: deterministic, no I/O, no floats). */
export function verifyStorageProof(root: string, seed: Uint8Array, blocks: readonly Uint8Array[]): StorageProofResult {
  const fail = (reason: string): StorageProofResult => ({ ok: false, reason });
  let expected: CID;
  try {
    expected = CID.parse(root);
  } catch {
    return fail(`root ${JSON.stringify(root)} is not a CID`);
  }
  if (!(seed instanceof Uint8Array)) return fail('seed is not bytes');
  if (blocks.length === 0) return fail('the proof holds no block');
  if (blocks.length > MAX_PROOF_DEPTH + 1) return fail(`the proof holds ${blocks.length} blocks, more than ${MAX_PROOF_DEPTH + 1}`);
  let bytesTotal = 0;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (!(b instanceof Uint8Array)) return fail(`step ${i}: not bytes`);
    if (b.length > MAX_PROOF_BLOCK_BYTES) return fail(`step ${i}: block of ${b.length} bytes exceeds ${MAX_PROOF_BLOCK_BYTES}`);
    bytesTotal += b.length;
  }
  if (bytesTotal > MAX_PROOF_BYTES) return fail(`the proof holds ${bytesTotal} bytes, more than ${MAX_PROOF_BYTES}`);

  let target = initialTarget(seed);
  for (let depth = 0; depth < blocks.length; depth++) {
    const bytes = blocks[depth]!;
    if (!isSupportedCid(expected)) return fail(`step ${depth}: CID ${expected.toString()} is not sha2-256 with raw or dag-pb`);
    if (!cidHasDigest(expected, sha256(bytes))) return fail(`step ${depth}: block does not hash to ${expected.toString()}`);
    const step = walkStep(expected, bytes, seed, depth, target);
    if (step.kind === 'invalid') return fail(`step ${depth}: ${step.reason}`);
    const last = depth === blocks.length - 1;
    if (step.kind === 'leaf') {
      if (!last) return fail(`step ${depth}: ${expected.toString()} is a leaf but ${blocks.length - 1 - depth} more block(s) follow`);
      return { ok: true, leaf: expected.toString(), depth };
    }
    if (last) return fail(`step ${depth}: ${expected.toString()} has links but the proof ends there (expected ${step.next.toString()} next)`);
    expected = step.next;
    target = step.target;
  }
  return fail('unreachable');
}
