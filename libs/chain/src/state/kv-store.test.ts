import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CacheKVStore, PrefixStore, type KVStore } from './kv-store.js';
import { CommittedState } from './committed-state.js';
import { tempDB, type TempDB } from '../testing/temp-db.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string) => enc.encode(s);
const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : dec.decode(b));

/** A plain writable map store, to watch what a cache flushes. */
class MapStore implements KVStore {
  readonly map = new Map<string, Uint8Array>();
  readonly log: string[] = [];
  get(key: string) {
    return this.map.get(key);
  }
  has(key: string) {
    return this.map.has(key);
  }
  set(key: string, value: Uint8Array) {
    this.log.push(`set ${key}`);
    this.map.set(key, value);
  }
  delete(key: string) {
    this.log.push(`delete ${key}`);
    this.map.delete(key);
  }
}

describe('CacheKVStore over committed LevelDB state', () => {
  let t: TempDB;
  let state: CommittedState;
  before(async () => {
    t = await tempDB();
    state = await CommittedState.open(t.db);
    state.stage(new Map([['a', bytes('1')], ['b', bytes('2')]]));
    const batch = t.db.batch();
    state.commit(batch, 1);
    await batch.write();
    state.committed(1);
  });
  after(async () => {
    await t.destroy();
  });

  test('reads fall through to the committed state', () => {
    const cache = new CacheKVStore(state);
    assert.equal(str(cache.get('a')), '1');
    assert.equal(cache.has('b'), true);
    assert.equal(cache.get('c'), undefined);
    assert.equal(cache.has('c'), false);
  });

  test('writes and deletes shadow the parent until written, and never touch it', () => {
    const cache = new CacheKVStore(state);
    cache.set('a', bytes('10'));
    cache.set('c', bytes('3'));
    cache.delete('b');
    assert.equal(str(cache.get('a')), '10');
    assert.equal(str(cache.get('c')), '3');
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.has('b'), false);
    assert.equal(str(state.get('a')), '1');
    assert.equal(state.get('c'), undefined);
    assert.equal(str(state.get('b')), '2');
    assert.deepEqual([...cache.changes()].map(([k, v]) => [k, str(v ?? undefined) ?? null]), [['a', '10'], ['c', '3'], ['b', null]]);
  });

  test('delete then set again, and set then delete, keep the last operation', () => {
    const cache = new CacheKVStore(state);
    cache.delete('a');
    cache.set('a', bytes('back'));
    cache.set('new', bytes('x'));
    cache.delete('new');
    assert.equal(str(cache.get('a')), 'back');
    assert.equal(cache.get('new'), undefined);
    assert.equal(cache.changes().get('new'), null);
  });

  test('writing into the read-only committed state is refused', () => {
    const cache = new CacheKVStore(state);
    cache.set('a', bytes('x'));
    assert.throws(() => cache.write(), /read-only/);
  });

  test('a nested cache writes into its parent cache; discarding it changes nothing', () => {
    const outer = new CacheKVStore(state);
    const discarded = new CacheKVStore(outer);
    discarded.set('a', bytes('lost'));
    discarded.delete('b');
    assert.equal(str(outer.get('a')), '1');
    assert.equal(str(outer.get('b')), '2');
    assert.equal(outer.changes().size, 0);

    const kept = new CacheKVStore(outer);
    kept.set('a', bytes('kept'));
    kept.delete('b');
    kept.write();
    assert.equal(kept.changes().size, 0, 'write() clears the buffer');
    assert.equal(str(kept.get('a')), 'kept', 'reads then fall through to the parent');
    assert.equal(str(outer.get('a')), 'kept');
    assert.equal(outer.get('b'), undefined);
    assert.equal(str(state.get('a')), '1', 'the committed state is untouched');
  });

  test('changes of a cache stage and commit into LevelDB', async () => {
    const cache = new CacheKVStore(state);
    cache.set('a', bytes('committed'));
    cache.delete('b');
    state.stage(new Map(cache.changes()));
    const batch = t.db.batch();
    state.commit(batch, 2);
    await batch.write();
    state.committed(2);
    assert.equal(str(state.get('a')), 'committed');
    assert.equal(state.get('b'), undefined);
  });
});

describe('CacheKVStore.write order and semantics', () => {
  test('flushes sets and deletes into a writable parent in write order', () => {
    const parent = new MapStore();
    parent.map.set('old', bytes('x'));
    const cache = new CacheKVStore(parent);
    cache.set('k1', bytes('1'));
    cache.delete('old');
    cache.set('k2', bytes('2'));
    cache.write();
    assert.deepEqual(parent.log, ['set k1', 'delete old', 'set k2']);
    assert.equal(parent.has('old'), false);
    assert.equal(str(parent.get('k2')), '2');
  });

  test('write with nothing buffered writes nothing', () => {
    const parent = new MapStore();
    new CacheKVStore(parent).write();
    assert.deepEqual(parent.log, []);
  });
});

describe('PrefixStore', () => {
  test('prefixes every key and only sees its own part', () => {
    const parent = new MapStore();
    const bank = new PrefixStore(parent, 'bank/');
    const auth = new PrefixStore(parent, 'auth/');
    bank.set('x', bytes('1'));
    auth.set('x', bytes('2'));
    assert.deepEqual([...parent.map.keys()].sort(), ['auth/x', 'bank/x']);
    assert.equal(str(bank.get('x')), '1');
    assert.equal(str(auth.get('x')), '2');
    assert.equal(bank.has('y'), false);
    bank.delete('x');
    assert.equal(bank.has('x'), false);
    assert.equal(auth.has('x'), true);
  });
});
