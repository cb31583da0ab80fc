import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256, toUpperHex } from '@trucom/crypto';
import { Mempool } from './mempool.js';
import { toyChain, toyTx, type ToyChain, type ToyMsg } from '../testing/toy-app.js';

const hashOf = (raw: Uint8Array) => toUpperHex(sha256(raw));
const add = (signer: string, sequence: number, extra: Partial<ToyMsg> = {}, gas?: number) =>
  toyTx([{ signer, key: 'k', amount: 1, ...extra }], { sequence, gas });

describe('Mempool', () => {
  let chain: ToyChain;
  let mempool: Mempool;
  beforeEach(async () => {
    chain = await toyChain();
    mempool = new Mempool(chain.app, { maxTxs: 100, maxBytes: 1_000_000 });
  });
  afterEach(async () => {
    await chain.destroy();
  });

  test('admits a valid tx and reports its hash, size and bytes', async () => {
    const tx = add('s', 0);
    const r = await mempool.add(tx, chain.block());
    assert.equal(r.code, 0, r.log);
    assert.equal(r.hashHex, hashOf(tx));
    assert.equal(mempool.size, 1);
    assert.equal(mempool.totalBytes, tx.length);
  });

  test('rejects a tx already in the mempool with code 19', async () => {
    const tx = add('s', 0);
    assert.equal((await mempool.add(tx, chain.block())).code, 0);
    const dup = await mempool.add(tx, chain.block());
    assert.equal(dup.code, 19);
    assert.equal(dup.codespace, 'sdk');
    assert.match(dup.log, /tx already in mempool/);
    assert.equal(dup.hashHex, hashOf(tx));
    assert.equal(mempool.size, 1);
    assert.equal(mempool.totalBytes, tx.length);
  });

  test('a tx that fails CheckTx is not admitted and keeps its code', async () => {
    const r = await mempool.add(add('s', 5), chain.block());
    assert.equal(r.code, 32);
    assert.equal(mempool.size, 0);
    assert.equal(mempool.totalBytes, 0);
    assert.equal((await mempool.add(Uint8Array.of(0xff), chain.block())).code, 2);
    assert.equal(mempool.size, 0);
  });

  test('admits one sender’s consecutive sequences (the check state counts pending txs)', async () => {
    for (let seq = 0; seq < 5; seq++) assert.equal((await mempool.add(add('s', seq), chain.block())).code, 0, `seq ${seq}`);
    assert.equal((await mempool.add(add('s', 2, { amount: 99 }), chain.block())).code, 32, 'a second tx with a used sequence');
    assert.equal(mempool.size, 5);
  });

  test('a commit that lands right after a tx is checked keeps that tx, so the sender’s next one is admitted', async () => {
    // An empty block executed and written, whose commit (new check state, then recheck) lands in the
    // microtask right after the first tx's check: the earliest a commit can run after it.
    await chain.app.finalizeBlock({ ...chain.block(), txs: [] });
    const batch = chain.t.db.batch();
    chain.app.commit(batch);
    await batch.write();
    const checkTx = chain.app.checkTx.bind(chain.app);
    let commitPending = true;
    chain.app.checkTx = (prepared, mode, block) => {
      const result = checkTx(prepared, mode, block);
      if (mode === 'check' && commitPending) {
        commitPending = false;
        queueMicrotask(() => {
          chain.app.committed();
          mempool.update([], chain.block());
        });
      }
      return result;
    };
    assert.equal((await mempool.add(add('s', 0), chain.block())).code, 0);
    assert.equal(commitPending, false);
    const next = await mempool.add(add('s', 1), chain.block());
    assert.equal(next.code, 0, next.log);
    assert.equal(mempool.size, 2);
  });

  test('txs arriving together are checked in arrival order', async () => {
    const txs = [add('s', 0), add('s', 1), add('s', 2), add('t', 0)];
    const results = await Promise.all(txs.map((tx) => mempool.add(tx, chain.block())));
    assert.deepEqual(results.map((r) => r.code), [0, 0, 0, 0]);
    assert.deepEqual(mempool.reap(1_000_000, -1), txs);
  });

  test('the same tx arriving twice at once is admitted once', async () => {
    const tx = add('s', 0);
    const results = await Promise.all([mempool.add(tx, chain.block()), mempool.add(tx, chain.block())]);
    assert.deepEqual(results.map((r) => r.code === 0).sort(), [false, true]);
    assert.equal(mempool.size, 1);
  });

  test('notifies listeners of admitted txs only, until unsubscribed', async () => {
    const seen: string[] = [];
    const off = mempool.onAdmitted((raw) => seen.push(hashOf(raw)));
    const a = add('s', 0);
    await mempool.add(a, chain.block());
    await mempool.add(a, chain.block());
    await mempool.add(add('s', 9), chain.block());
    off();
    await mempool.add(add('s', 1), chain.block());
    assert.deepEqual(seen, [hashOf(a)]);
  });

  test('is bounded by count (code 20)', async () => {
    const small = new Mempool(chain.app, { maxTxs: 2, maxBytes: 1_000_000 });
    assert.equal((await small.add(add('a', 0), chain.block())).code, 0);
    assert.equal((await small.add(add('b', 0), chain.block())).code, 0);
    const full = await small.add(add('c', 0), chain.block());
    assert.equal(full.code, 20);
    assert.match(full.log, /mempool is full/);
    assert.equal(small.size, 2);
  });

  test('is bounded by bytes (code 20)', async () => {
    const tx = add('a', 0);
    const small = new Mempool(chain.app, { maxTxs: 100, maxBytes: tx.length * 2 + 1 });
    assert.equal((await small.add(tx, chain.block())).code, 0);
    assert.equal((await small.add(add('b', 0), chain.block())).code, 0);
    assert.equal((await small.add(add('c', 0), chain.block())).code, 20);
    assert.equal(small.totalBytes, tx.length * 2);
  });

  test('reap returns txs in arrival order within the byte and gas limits', async () => {
    const txs = [add('s', 0, {}, 10_000), add('t', 0, {}, 20_000), add('s', 1, {}, 30_000), add('u', 0, {}, 40_000)];
    for (const tx of txs) assert.equal((await mempool.add(tx, chain.block())).code, 0);
    assert.deepEqual(mempool.reap(1_000_000, -1), txs, 'max gas -1 means no gas limit');
    assert.deepEqual(mempool.reap(1_000_000, 60_000), txs.slice(0, 3));
    assert.deepEqual(mempool.reap(1_000_000, 59_999), txs.slice(0, 2));
    assert.deepEqual(mempool.reap(1_000_000, 0), []);
    const twoTxBytes = txs[0]!.length + txs[1]!.length;
    assert.deepEqual(mempool.reap(twoTxBytes, -1), txs.slice(0, 2));
    assert.deepEqual(mempool.reap(twoTxBytes - 1, -1), txs.slice(0, 1));
    assert.deepEqual(mempool.reap(0, -1), []);
    assert.equal(mempool.size, 4, 'reap does not remove');
  });

  test('update after a commit drops the committed txs and keeps the still-valid rest', async () => {
    const txs = [add('s', 0), add('s', 1), add('t', 0)];
    for (const tx of txs) await mempool.add(tx, chain.block());
    const block = mempool.reap(1_000_000, -1).slice(0, 1);
    const result = await chain.deliver(block);
    assert.equal(result.txResults[0]!.code, 0);
    await mempool.update(block.map(hashOf), chain.block());
    assert.equal(mempool.size, 2);
    assert.equal(mempool.totalBytes, txs[1]!.length + txs[2]!.length);
    assert.deepEqual(mempool.reap(1_000_000, -1), [txs[1], txs[2]]);
    // The next sequence is admitted on top of the rechecked ones.
    assert.equal((await mempool.add(add('s', 2), chain.block())).code, 0);
  });

  test('update drops txs a block from elsewhere made invalid (recheck)', async () => {
    const mine = add('s', 0, { amount: 1 });
    const next = add('s', 1, { amount: 1 });
    const other = add('t', 0);
    for (const tx of [mine, next, other]) assert.equal((await mempool.add(tx, chain.block())).code, 0);
    // Another proposer committed a different tx with the same sequence for "s".
    const theirs = add('s', 0, { amount: 2 });
    await chain.deliver([theirs]);
    await mempool.update([hashOf(theirs)], chain.block());
    // mine (seq 0) is now a replay; next (seq 1) is valid again; other is untouched.
    assert.deepEqual(mempool.reap(1_000_000, -1), [next, other]);
    assert.equal(mempool.totalBytes, next.length + other.length);
  });

  test('a committed tx can not come back: re-adding it is a replay (code 32)', async () => {
    const tx = add('s', 0);
    await mempool.add(tx, chain.block());
    await chain.deliver([tx]);
    await mempool.update([hashOf(tx)], chain.block());
    assert.equal(mempool.size, 0);
    assert.equal((await mempool.add(tx, chain.block())).code, 32);
  });

  test('a committed tx that a peer sends late is turned away by hash (code 19); a failed one is checked again', async () => {
    const ok = add('s', 0);
    const failing = add('t', 0, { fail: true });
    for (const tx of [ok, failing]) assert.equal((await mempool.add(tx, chain.block())).code, 0);
    const result = await chain.deliver([ok, failing]);
    await mempool.update([hashOf(ok), hashOf(failing)], chain.block(), result.txResults.map((r) => r.code));
    const late = await mempool.add(ok, chain.block(), 'peer');
    assert.equal(late.code, 19);
    assert.match(late.log, /committed in a recent block/);
    assert.equal((await mempool.add(ok, chain.block())).code, 32, 'a client still gets the precise error');
    assert.equal((await mempool.add(failing, chain.block(), 'peer')).code, 32, 'a failed tx is not remembered: it is checked (its sequence is used)');
  });

  test('update with hashes not in the mempool only rechecks', async () => {
    const tx = add('s', 0);
    await mempool.add(tx, chain.block());
    await chain.deliver([]);
    await mempool.update(['00'.repeat(32)], chain.block());
    assert.deepEqual(mempool.reap(1_000_000, -1), [tx]);
  });
  test('settled() waits for the admissions under way, so a proposer reaps them', async () => {
    const txs = [add('s', 0), add('s', 1), add('t', 0)];
    const adds = txs.map((tx) => mempool.add(tx, chain.block()));
    assert.equal(mempool.admitting, 3);
    await mempool.settled(10_000);
    assert.equal(mempool.admitting, 0);
    assert.deepEqual(mempool.reap(1_000_000, -1), txs);
    assert.deepEqual((await Promise.all(adds)).map((r) => r.code), [0, 0, 0]);
    await mempool.settled(10_000); // nothing under way: returns at once
  });

  test('settled() gives up after maxMs on an admission that hangs; the tx still lands later', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = Object.create(chain.app, {
      prepareCheck: { value: async (raw: Uint8Array, hash?: Uint8Array) => (await gate, chain.app.prepareCheck(raw, hash)) },
    });
    const pool = new Mempool(slow, { maxTxs: 100, maxBytes: 1_000_000 });
    const tx = add('s', 0);
    const added = pool.add(tx, chain.block());
    const from = performance.now();
    await pool.settled(50);
    assert.ok(performance.now() - from >= 45, 'waited about maxMs');
    assert.equal(pool.size, 0);
    assert.equal(pool.admitting, 1);
    release();
    assert.equal((await added).code, 0);
    assert.deepEqual(pool.reap(1_000_000, -1), [tx]);
  });
});
