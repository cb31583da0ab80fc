import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256, toHex } from '@trucom/crypto';
import { applyUpdates, EMPTY_ROOT, isEmpty, prove, verifyProof, type NodeStore, type TreeProof, type TreeUpdate } from './smt.js';

/** In-memory content-addressed node store; counts writes so tests can see what an update touched. */
class MemoryNodeStore implements NodeStore {
  readonly nodes = new Map<string, Uint8Array>();
  writes = 0;
  getNode(hash: Uint8Array): Uint8Array | undefined {
    return this.nodes.get(toHex(hash));
  }
  putNode(hash: Uint8Array, node: Uint8Array): void {
    assert.deepEqual(sha256(node), hash, 'nodes are content-addressed');
    this.writes++;
    this.nodes.set(toHex(hash), node);
  }
}

const enc = new TextEncoder();
const path = (key: string) => sha256(enc.encode(key));
const valueHash = (value: string) => sha256(enc.encode(value));
const put = (key: string, value: string): TreeUpdate => ({ path: path(key), valueHash: valueHash(value) });
const del = (key: string): TreeUpdate => ({ path: path(key), valueHash: null });

/** A deterministic pseudo-random permutation (no Math.random, so every run is the same). */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function rootOf(store: NodeStore, batches: readonly (readonly TreeUpdate[])[], start = EMPTY_ROOT): Uint8Array {
  let root: Uint8Array = start;
  for (const b of batches) root = applyUpdates(store, root, b);
  return root;
}

const KEYS = Array.from({ length: 200 }, (_, i) => `key-${i}`);
const ENTRIES = KEYS.map((k) => put(k, `value of ${k}`));

describe('sparse Merkle tree: root depends only on the key/value set', () => {
  test('the empty tree has the all-zero root', () => {
    assert.equal(EMPTY_ROOT.length, 32);
    assert.equal(isEmpty(EMPTY_ROOT), true);
    assert.deepEqual(applyUpdates(new MemoryNodeStore(), EMPTY_ROOT, []), EMPTY_ROOT);
  });

  test('a single leaf is the root, and its hash is sha256(0x00 || path || valueHash)', () => {
    const store = new MemoryNodeStore();
    const root = applyUpdates(store, EMPTY_ROOT, [put('a', '1')]);
    assert.deepEqual(root, sha256(Uint8Array.of(0), path('a'), valueHash('1')));
  });

  test('two leaves: inner = sha256(0x01 || left || right), ordered by the first path bit', () => {
    // Find two keys whose paths differ in the first bit.
    const k0 = KEYS.find((k) => (path(k)[0]! & 0x80) === 0)!;
    const k1 = KEYS.find((k) => (path(k)[0]! & 0x80) !== 0)!;
    const leaf = (k: string) => sha256(Uint8Array.of(0), path(k), valueHash('v'));
    const root = applyUpdates(new MemoryNodeStore(), EMPTY_ROOT, [put(k1, 'v'), put(k0, 'v')]);
    assert.deepEqual(root, sha256(Uint8Array.of(1), leaf(k0), leaf(k1)));
  });

  test('same set in one batch, in any order, or in batches of any size → same root', () => {
    const reference = applyUpdates(new MemoryNodeStore(), EMPTY_ROOT, ENTRIES);
    assert.equal(isEmpty(reference), false);
    for (const seed of [1, 2, 3, 42, 1234]) {
      const order = shuffle(ENTRIES, seed);
      assert.deepEqual(applyUpdates(new MemoryNodeStore(), EMPTY_ROOT, order), reference, `one batch, seed ${seed}`);
      for (const size of [1, 3, 17, 64]) {
        assert.deepEqual(rootOf(new MemoryNodeStore(), chunks(order, size)), reference, `batches of ${size}, seed ${seed}`);
      }
    }
  });

  test('insert-then-delete of extra keys leaves the same root as never inserting them', () => {
    const store = new MemoryNodeStore();
    const base = applyUpdates(store, EMPTY_ROOT, ENTRIES.slice(0, 100));
    const withExtra = applyUpdates(store, base, ENTRIES.slice(100));
    const back = applyUpdates(store, withExtra, KEYS.slice(100).map(del));
    assert.deepEqual(back, base);
    // Deleting in scattered small batches works too.
    let root: Uint8Array = withExtra;
    for (const b of chunks(shuffle(KEYS.slice(100), 9), 7)) root = applyUpdates(store, root, b.map(del));
    assert.deepEqual(root, base);
  });

  test('within one batch the last update of a path wins', () => {
    const a = applyUpdates(new MemoryNodeStore(), EMPTY_ROOT, [put('x', '1'), put('y', '2'), put('x', '3')]);
    const b = applyUpdates(new MemoryNodeStore(), EMPTY_ROOT, [put('y', '2'), put('x', '3')]);
    assert.deepEqual(a, b);
    const c = applyUpdates(new MemoryNodeStore(), EMPTY_ROOT, [put('x', '1'), put('y', '2'), del('x')]);
    const d = applyUpdates(new MemoryNodeStore(), EMPTY_ROOT, [put('y', '2')]);
    assert.deepEqual(c, d);
  });

  test('the root changes when any single value changes, and changes back when restored', () => {
    const store = new MemoryNodeStore();
    const root = applyUpdates(store, EMPTY_ROOT, ENTRIES);
    const seen = new Set<string>([toHex(root)]);
    for (const k of KEYS.filter((_, i) => i % 10 === 0)) {
      const changed = applyUpdates(store, root, [put(k, 'different')]);
      assert.ok(!seen.has(toHex(changed)), `changing ${k} gives a new root`);
      seen.add(toHex(changed));
      assert.deepEqual(applyUpdates(store, changed, [put(k, `value of ${k}`)]), root);
    }
  });

  test('re-writing a value with the same bytes keeps the root', () => {
    const store = new MemoryNodeStore();
    const root = applyUpdates(store, EMPTY_ROOT, ENTRIES);
    assert.deepEqual(applyUpdates(store, root, ENTRIES.slice(5, 25)), root);
  });

  test('adding or removing one key changes the root', () => {
    const store = new MemoryNodeStore();
    const root = applyUpdates(store, EMPTY_ROOT, ENTRIES);
    assert.notDeepEqual(applyUpdates(store, root, [put('new key', 'v')]), root);
    assert.notDeepEqual(applyUpdates(store, root, [del('key-7')]), root);
  });

  test('deleting a key that is not there changes nothing', () => {
    const store = new MemoryNodeStore();
    const root = applyUpdates(store, EMPTY_ROOT, ENTRIES.slice(0, 10));
    assert.deepEqual(applyUpdates(store, root, [del('missing'), del('also missing')]), root);
    assert.deepEqual(applyUpdates(store, EMPTY_ROOT, [del('missing')]), EMPTY_ROOT);
    const single = applyUpdates(store, EMPTY_ROOT, [put('only', '1')]);
    assert.deepEqual(applyUpdates(store, single, [del('missing')]), single);
  });

  test('deleting every key, all at once or one by one, gives EMPTY_ROOT', () => {
    const store = new MemoryNodeStore();
    const full = applyUpdates(store, EMPTY_ROOT, ENTRIES);
    assert.deepEqual(applyUpdates(store, full, KEYS.map(del)), EMPTY_ROOT);
    let root: Uint8Array = full;
    for (const k of shuffle(KEYS, 77)) root = applyUpdates(store, root, [del(k)]);
    assert.deepEqual(root, EMPTY_ROOT);
  });

  test('mixed batches of inserts, updates and deletes agree with rebuilding from scratch', () => {
    const store = new MemoryNodeStore();
    const live = new Map<string, string>();
    let root: Uint8Array = EMPTY_ROOT;
    for (let round = 0; round < 20; round++) {
      const batch: TreeUpdate[] = [];
      for (const k of shuffle(KEYS, round + 100).slice(0, 25)) {
        if ((k.length + round) % 3 === 0) {
          batch.push(del(k));
          live.delete(k);
        } else {
          batch.push(put(k, `r${round}`));
          live.set(k, `r${round}`);
        }
      }
      root = applyUpdates(store, root, batch);
      const rebuilt = applyUpdates(new MemoryNodeStore(), EMPTY_ROOT, [...live].map(([k, v]) => put(k, v)));
      assert.deepEqual(root, rebuilt, `round ${round}`);
    }
  });

  test('an update writes O(log n) nodes, not the whole tree', () => {
    const store = new MemoryNodeStore();
    const many = Array.from({ length: 2000 }, (_, i) => put(`k${i}`, 'v'));
    const root = applyUpdates(store, EMPTY_ROOT, many);
    store.writes = 0;
    applyUpdates(store, root, [put('k5', 'changed')]);
    assert.ok(store.writes > 0 && store.writes <= 40, `wrote ${store.writes} nodes`);
  });

  test('a missing node is reported, not silently treated as empty', () => {
    const store = new MemoryNodeStore();
    const root = applyUpdates(store, EMPTY_ROOT, ENTRIES.slice(0, 10));
    assert.throws(() => applyUpdates(new MemoryNodeStore(), root, [put('x', '1')]), /state tree node .* is missing/);
  });
});

describe('sparse Merkle tree proofs', () => {
  const store = new MemoryNodeStore();
  const root = applyUpdates(store, EMPTY_ROOT, ENTRIES);

  test('inclusion proofs verify for every key', () => {
    for (const k of KEYS) {
      const proof = prove(store, root, path(k));
      assert.ok(proof.leaf, k);
      assert.equal(verifyProof(root, path(k), valueHash(`value of ${k}`), proof), true, k);
    }
  });

  test('exclusion proofs verify for absent keys (ending in another leaf or in an empty subtree)', () => {
    let endsInLeaf = 0;
    let endsEmpty = 0;
    for (let i = 0; i < 300; i++) {
      const k = `absent-${i}`;
      const proof = prove(store, root, path(k));
      if (proof.leaf) endsInLeaf++;
      else endsEmpty++;
      assert.equal(verifyProof(root, path(k), null, proof), true, k);
    }
    assert.ok(endsInLeaf > 0, 'some exclusion proofs end in another leaf');
    assert.ok(endsEmpty > 0, 'some exclusion proofs end in an empty subtree');
  });

  test('proofs in the empty and single-leaf trees', () => {
    const s = new MemoryNodeStore();
    const empty = prove(s, EMPTY_ROOT, path('a'));
    assert.deepEqual(empty, { siblings: [], leaf: undefined });
    assert.equal(verifyProof(EMPTY_ROOT, path('a'), null, empty), true);
    assert.equal(verifyProof(EMPTY_ROOT, path('a'), valueHash('1'), empty), false);
    const one = applyUpdates(s, EMPTY_ROOT, [put('a', '1')]);
    assert.equal(verifyProof(one, path('a'), valueHash('1'), prove(s, one, path('a'))), true);
    assert.equal(verifyProof(one, path('b'), null, prove(s, one, path('b'))), true);
    assert.equal(verifyProof(one, path('a'), null, prove(s, one, path('a'))), false);
  });

  test('an inclusion proof does not prove a different value, absence, or another key', () => {
    const proof = prove(store, root, path('key-3'));
    assert.equal(verifyProof(root, path('key-3'), valueHash('wrong'), proof), false);
    assert.equal(verifyProof(root, path('key-3'), null, proof), false);
    assert.equal(verifyProof(root, path('key-4'), valueHash('value of key-3'), proof), false);
    assert.equal(verifyProof(root, path('key-4'), valueHash('value of key-4'), proof), false);
  });

  test('an exclusion proof cannot be turned into an inclusion proof', () => {
    const proof = prove(store, root, path('absent-1'));
    assert.equal(verifyProof(root, path('absent-1'), valueHash('anything'), proof), false);
  });

  test('a proof for a present key cannot claim exclusion, even by dropping the leaf', () => {
    const proof = prove(store, root, path('key-9'));
    assert.equal(verifyProof(root, path('key-9'), null, { siblings: proof.siblings, leaf: undefined }), false);
  });

  test('tampered siblings, leaves or depths fail', () => {
    const k = 'key-12';
    const proof = prove(store, root, path(k));
    assert.ok(proof.siblings.length > 0);
    const good = valueHash(`value of ${k}`);
    for (let i = 0; i < proof.siblings.length; i++) {
      const siblings = proof.siblings.map((s) => s.slice());
      siblings[i]![0] = siblings[i]![0]! ^ 1;
      assert.equal(verifyProof(root, path(k), good, { siblings, leaf: proof.leaf }), false, `sibling ${i}`);
    }
    const tamperedLeaf: TreeProof = { siblings: proof.siblings, leaf: { path: proof.leaf!.path, valueHash: valueHash('forged') } };
    assert.equal(verifyProof(root, path(k), valueHash('forged'), tamperedLeaf), false);
    assert.equal(verifyProof(root, path(k), good, { siblings: proof.siblings.slice(1), leaf: proof.leaf }), false, 'sibling dropped');
    assert.equal(verifyProof(root, path(k), good, { siblings: [...proof.siblings, EMPTY_ROOT], leaf: proof.leaf }), false, 'extra level');
    const i = proof.siblings.findIndex((s, j) => j > 0 && Buffer.compare(s, proof.siblings[0]!) !== 0);
    if (i > 0) {
      const swapped = proof.siblings.slice();
      [swapped[0], swapped[i]] = [swapped[i]!, swapped[0]!];
      assert.equal(verifyProof(root, path(k), good, { siblings: swapped, leaf: proof.leaf }), false, 'siblings reordered');
    }
  });

  test('an exclusion proof that names a leaf with the queried path is refused', () => {
    const proof = prove(store, root, path('absent-2'));
    const forged: TreeProof = { siblings: proof.siblings, leaf: { path: path('absent-2'), valueHash: valueHash('x') } };
    assert.equal(verifyProof(root, path('absent-2'), null, forged), false);
  });

  test('a proof verifies only against its own root', () => {
    const other = applyUpdates(store, root, [put('key-0', 'changed')]);
    const proof = prove(store, root, path('key-1'));
    assert.equal(verifyProof(root, path('key-1'), valueHash('value of key-1'), proof), true);
    // key-1's value is the same in both trees, but the siblings differ somewhere unless far apart;
    // the new tree's own proof must verify against the new root.
    assert.equal(verifyProof(other, path('key-1'), valueHash('value of key-1'), prove(store, other, path('key-1'))), true);
    const p0 = prove(store, root, path('key-0'));
    assert.equal(verifyProof(other, path('key-0'), valueHash('value of key-0'), p0), false);
  });
});
