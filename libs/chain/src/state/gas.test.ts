import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GasKVStore, GasMeter, infiniteGasMeter, KV_GAS } from './gas.js';
import { CacheKVStore, type KVStore } from './kv-store.js';
import { ChainError, ErrOutOfGas } from '../errors.js';

const enc = new TextEncoder();

class MapStore implements KVStore {
  readonly map = new Map<string, Uint8Array>();
  get(key: string) {
    return this.map.get(key);
  }
  has(key: string) {
    return this.map.has(key);
  }
  set(key: string, value: Uint8Array) {
    this.map.set(key, value);
  }
  delete(key: string) {
    this.map.delete(key);
  }
}

function outOfGas(err: unknown): boolean {
  assert.ok(err instanceof ChainError);
  assert.equal(err.code, 11);
  assert.equal(err.codespace, 'sdk');
  assert.ok(ErrOutOfGas.is(err));
  return true;
}

describe('GasMeter', () => {
  test('accumulates consumption up to and including the limit', () => {
    const m = new GasMeter(100);
    m.consume(40, 'a');
    m.consume(60, 'b');
    assert.equal(m.consumed, 100);
    assert.equal(m.limit, 100);
  });

  test('throws ErrOutOfGas (code 11) past the limit, naming the location', () => {
    const m = new GasMeter(100);
    m.consume(99, 'a');
    assert.throws(() => m.consume(2, 'WriteFlat'), (err) => {
      outOfGas(err);
      assert.match((err as Error).message, /out of gas in location: WriteFlat; gasWanted: 100, gasUsed: 101/);
      return true;
    });
    assert.equal(m.consumed, 101, 'the failing charge is recorded, as in the SDK');
  });

  test('a zero limit fails on the first charge', () => {
    assert.throws(() => new GasMeter(0).consume(1, 'x'), outOfGas);
    assert.doesNotThrow(() => new GasMeter(0).consume(0, 'x'));
  });

  test('the infinite meter does not run out', () => {
    const m = infiniteGasMeter();
    m.consume(1e12, 'big');
    m.consume(1e12, 'big');
    assert.equal(m.consumed, 2e12);
  });
});

describe('GasKVStore', () => {
  test('the SDK KVGasConfig defaults', () => {
    assert.deepEqual({ ...KV_GAS }, { hasCost: 1000, deleteCost: 1000, readCostFlat: 1000, readCostPerByte: 3, writeCostFlat: 2000, writeCostPerByte: 30 });
  });

  test('charges reads per key and value byte, found or not', () => {
    const parent = new MapStore();
    parent.set('key', enc.encode('hello'));
    const meter = new GasMeter(1_000_000);
    const store = new GasKVStore(parent, meter);
    assert.deepEqual(store.get('key'), enc.encode('hello'));
    assert.equal(meter.consumed, 1000 + 3 * (3 + 5));
    assert.equal(store.get('nope'), undefined);
    assert.equal(meter.consumed, 1000 + 3 * 8 + 1000 + 3 * 4);
  });

  test('charges has, set and delete', () => {
    const parent = new MapStore();
    const meter = new GasMeter(1_000_000);
    const store = new GasKVStore(parent, meter);
    assert.equal(store.has('k'), false);
    assert.equal(meter.consumed, 1000);
    store.set('k', enc.encode('value'));
    assert.equal(meter.consumed, 1000 + 2000 + 30 * (1 + 5));
    assert.equal(parent.has('k'), true);
    store.delete('k');
    assert.equal(meter.consumed, 1000 + 2000 + 180 + 1000);
    assert.equal(parent.has('k'), false);
  });

  test('a write that runs out of gas does not reach the parent', () => {
    const parent = new MapStore();
    const write = 2000 + 30 * (1 + 3);
    // Enough for the flat cost but not the per-byte cost.
    const store = new GasKVStore(parent, new GasMeter(write - 1));
    assert.throws(() => store.set('k', enc.encode('abc')), outOfGas);
    assert.equal(parent.has('k'), false);
    // Exactly enough succeeds.
    const exact = new GasKVStore(parent, new GasMeter(write));
    exact.set('k', enc.encode('abc'));
    assert.equal(parent.has('k'), true);
  });

  test('a delete or has that runs out of gas does not reach the parent', () => {
    const parent = new MapStore();
    parent.set('k', enc.encode('v'));
    assert.throws(() => new GasKVStore(parent, new GasMeter(999)).delete('k'), outOfGas);
    assert.equal(parent.has('k'), true);
    assert.throws(() => new GasKVStore(parent, new GasMeter(999)).has('k'), outOfGas);
  });

  test('over a cache: out of gas mid-transaction leaves the cache to be discarded', () => {
    const committed = new MapStore();
    const cache = new CacheKVStore(committed);
    const meter = new GasMeter(5000);
    const store = new GasKVStore(cache, meter);
    store.set('a', enc.encode('1'));
    assert.throws(() => {
      for (let i = 0; i < 10; i++) store.set(`k${i}`, enc.encode('x'));
    }, outOfGas);
    assert.ok(meter.consumed > meter.limit);
    // The caller drops the cache: nothing reached the committed store.
    assert.equal(committed.map.size, 0);
  });
});
