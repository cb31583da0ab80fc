import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256, toHex } from '@trucom/crypto';
import { CommittedState } from './committed-state.js';
import { applyUpdates, EMPTY_ROOT, verifyProof, type NodeStore } from './smt.js';
import { tempDB, type TempDB } from '../testing/temp-db.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string) => enc.encode(s);
const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : dec.decode(b));

function changes(entries: Record<string, string | null>): Map<string, Uint8Array | null> {
  return new Map(Object.entries(entries).map(([k, v]) => [k, v === null ? null : bytes(v)]));
}

/** stage → commit into a batch → write → committed: what a node does for each block. */
async function commitBlock(t: TempDB, state: CommittedState, height: number, entries: Record<string, string | null>): Promise<Uint8Array> {
  const root = state.stage(changes(entries));
  const batch = t.db.batch();
  state.commit(batch, height);
  await batch.write();
  state.committed(height);
  return root;
}

/** The root the SMT spec gives for a flat key/value set (sha256(key) paths, sha256(value) leaves). */
function expectedRoot(entries: Record<string, string>): Uint8Array {
  const nodes = new Map<string, Uint8Array>();
  const store: NodeStore = { getNode: (h) => nodes.get(toHex(h)), putNode: (h, n) => void nodes.set(toHex(h), n) };
  return applyUpdates(store, EMPTY_ROOT, Object.entries(entries).map(([k, v]) => ({ path: sha256(bytes(k)), valueHash: sha256(bytes(v)) })));
}

async function collect(it: AsyncIterable<[string, Uint8Array]>): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const [k, v] of it) out.push([k, dec.decode(v)]);
  return out;
}

describe('CommittedState on LevelDB', () => {
  let t: TempDB;
  beforeEach(async () => {
    t = await tempDB();
  });
  afterEach(async () => {
    await t.destroy();
  });

  test('a fresh database is height 0 with the empty root and no values', async () => {
    const state = await CommittedState.open(t.db);
    assert.equal(state.height, 0);
    assert.deepEqual(state.appHash, EMPTY_ROOT);
    assert.equal(state.get('anything'), undefined);
    assert.equal(state.has('anything'), false);
  });

  test('stage computes the next root without changing anything visible', async () => {
    const state = await CommittedState.open(t.db);
    const root = state.stage(changes({ a: '1', b: '2' }));
    assert.deepEqual(root, expectedRoot({ a: '1', b: '2' }));
    assert.deepEqual(state.appHash, EMPTY_ROOT);
    assert.equal(state.height, 0);
    assert.equal(state.get('a'), undefined);
    // Re-staging replaces the previous stage.
    const again = state.stage(changes({ a: '1' }));
    assert.deepEqual(again, expectedRoot({ a: '1' }));
  });

  test('commit + write + committed makes the values and the root current', async () => {
    const state = await CommittedState.open(t.db);
    const root = await commitBlock(t, state, 1, { a: '1', b: '2', 'c/d': '3' });
    assert.deepEqual(state.appHash, root);
    assert.equal(state.height, 1);
    assert.equal(str(state.get('a')), '1');
    assert.equal(str(state.get('c/d')), '3');
    assert.equal(state.has('b'), true);
    assert.equal(state.has('z'), false);

    const root2 = await commitBlock(t, state, 2, { a: '10', b: null, e: '5' });
    assert.notDeepEqual(root2, root);
    assert.deepEqual(root2, expectedRoot({ a: '10', 'c/d': '3', e: '5' }));
    assert.equal(str(state.get('a')), '10');
    assert.equal(state.get('b'), undefined);
    assert.equal(state.height, 2);
  });

  test('a block with no changes keeps the root and advances the height', async () => {
    const state = await CommittedState.open(t.db);
    const root = await commitBlock(t, state, 1, { a: '1' });
    assert.deepEqual(await commitBlock(t, state, 2, {}), root);
    assert.equal(state.height, 2);
  });

  test('deleting every key returns to the empty root', async () => {
    const state = await CommittedState.open(t.db);
    await commitBlock(t, state, 1, { a: '1', b: '2', c: '3' });
    assert.deepEqual(await commitBlock(t, state, 2, { a: null, b: null, c: null }), EMPTY_ROOT);
  });

  test('reopening gives the same app hash, height and values, and keeps working', async () => {
    let state = await CommittedState.open(t.db);
    await commitBlock(t, state, 1, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`])));
    const root = await commitBlock(t, state, 2, { k3: 'changed', k4: null });
    await t.reopen();
    state = await CommittedState.open(t.db);
    assert.deepEqual(state.appHash, root);
    assert.equal(state.height, 2);
    assert.equal(str(state.get('k3')), 'changed');
    assert.equal(state.get('k4'), undefined);
    assert.equal(str(state.get('k49')), 'v49');
    // The tree nodes are on disk too: a further block reads them back.
    const expected: Record<string, string> = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `v${i}`]));
    expected.k3 = 'changed';
    delete expected.k4;
    expected.k7 = 'again';
    assert.deepEqual(await commitBlock(t, state, 3, { k7: 'again' }), expectedRoot(expected));
    const proof = state.prove('k7');
    assert.equal(verifyProof(state.appHash, sha256(bytes('k7')), sha256(bytes('again')), proof), true);
  });

  test('a batch that never reached the disk leaves the previous state on reopen', async () => {
    let state = await CommittedState.open(t.db);
    const root = await commitBlock(t, state, 1, { a: '1' });
    state.stage(changes({ a: '2', b: '3' }));
    const batch = t.db.batch();
    state.commit(batch, 2);
    await batch.close(); // crash before write
    await t.reopen();
    state = await CommittedState.open(t.db);
    assert.equal(state.height, 1);
    assert.deepEqual(state.appHash, root);
    assert.equal(str(state.get('a')), '1');
    assert.equal(state.get('b'), undefined);
  });

  test('commit and committed refuse to run without a staged block', async () => {
    const state = await CommittedState.open(t.db);
    assert.throws(() => state.commit(t.db.batch(), 1), /nothing staged/);
    assert.throws(() => state.committed(1), /nothing staged/);
    await commitBlock(t, state, 1, { a: '1' });
    assert.throws(() => state.committed(2), /nothing staged/, 'committed() consumes the stage');
  });

  test('two databases fed the same blocks agree on every root', async () => {
    const other = await tempDB();
    try {
      const s1 = await CommittedState.open(t.db);
      const s2 = await CommittedState.open(other.db);
      const blocks: Record<string, string | null>[] = [{ a: '1', b: '2' }, { c: '3', a: null }, { b: '4', d: '5', e: '6' }];
      for (const [i, b] of blocks.entries()) {
        const r1 = await commitBlock(t, s1, i + 1, b);
        const r2 = await commitBlock(other, s2, i + 1, Object.fromEntries(Object.entries(b).reverse()));
        assert.deepEqual(r1, r2, `block ${i + 1}`);
      }
    } finally {
      await other.destroy();
    }
  });

  test('iterate walks one prefix in key order, with reverse, limit and start', async () => {
    const state = await CommittedState.open(t.db);
    await commitBlock(t, state, 1, { 'a/1': 'x1', 'a/3': 'x3', 'a/2': 'x2', 'a/20': 'x20', a: 'root', 'ab/1': 'other', 'b/1': 'y1' });
    assert.deepEqual(await collect(state.iterate('a/')), [['a/1', 'x1'], ['a/2', 'x2'], ['a/20', 'x20'], ['a/3', 'x3']]);
    assert.deepEqual((await collect(state.iterate('a/', { reverse: true }))).map(([k]) => k), ['a/3', 'a/20', 'a/2', 'a/1']);
    assert.deepEqual((await collect(state.iterate('a/', { limit: 2 }))).map(([k]) => k), ['a/1', 'a/2']);
    assert.deepEqual((await collect(state.iterate('a/', { start: 'a/2' }))).map(([k]) => k), ['a/2', 'a/20', 'a/3']);
    assert.deepEqual((await collect(state.iterate('a/', { start: 'a/20', reverse: true }))).map(([k]) => k), ['a/2', 'a/1']);
    assert.deepEqual((await collect(state.iterate('b/'))).map(([k]) => k), ['b/1']);
    assert.deepEqual(await collect(state.iterate('zzz/')), []);
    assert.equal((await collect(state.iterate(''))).length, 7);
  });

  test('iterate never sees other kinds of data in the same database', async () => {
    const state = await CommittedState.open(t.db);
    await commitBlock(t, state, 1, { x: '1' });
    // The tree nodes and metadata live under other prefixes of the same LevelDB.
    assert.deepEqual(await collect(state.iterate('')), [['x', '1']]);
  });

  test('proofs of present and absent keys verify against the app hash', async () => {
    const state = await CommittedState.open(t.db);
    const entries = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`key/${i}`, `value ${i}`]));
    await commitBlock(t, state, 1, entries);
    for (const [k, v] of Object.entries(entries)) {
      assert.equal(verifyProof(state.appHash, sha256(bytes(k)), sha256(bytes(v)), state.prove(k)), true, k);
    }
    for (const k of ['key/30', 'missing', '']) {
      assert.equal(verifyProof(state.appHash, sha256(bytes(k)), null, state.prove(k)), true, k);
    }
    assert.equal(verifyProof(state.appHash, sha256(bytes('key/1')), sha256(bytes('forged')), state.prove('key/1')), false);
  });
});
