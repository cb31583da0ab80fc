import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { SIMULATE_PATH, type TxResult } from './application.js';
import type { Event } from './events.js';
import { EMPTY_ROOT } from '../state/smt.js';
import { feesKey, nonceKey, readCounter, toyChain, toyTx, TOY_MSG, type ToyChain } from '../testing/toy-app.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The app hash after one empty block (block hooks write state, so this is the "nothing happened" hash). */
async function emptyBlockHash(genesis: Record<string, number>): Promise<Uint8Array> {
  const reference = await toyChain(genesis);
  try {
    return (await reference.deliver([])).appHash;
  } finally {
    await reference.destroy();
  }
}

const attrs = (events: Event[], type: string) => events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));

describe('Application: genesis and commit cycle', () => {
  let chain: ToyChain;
  beforeEach(async () => {
    chain = await toyChain({ a: 5, b: 7 });
  });
  afterEach(async () => {
    await chain.destroy();
  });

  test('initChain runs module genesis; commit persists it as height 0', () => {
    assert.equal(chain.counter('a'), 5);
    assert.equal(chain.counter('b'), 7);
    assert.equal(chain.app.info().height, 0);
    assert.notDeepEqual(chain.app.info().appHash, EMPTY_ROOT);
  });

  test('initChain refuses to run on an initialised chain', () => {
    assert.throws(() => chain.app.initChain({ time: { seconds: 0, nanos: 0 }, appState: {} }), /already initialised/);
  });

  test('commit without an executed block is refused', () => {
    assert.throws(() => chain.app.commit(chain.t.db.batch()), /no block to commit/);
  });

  test('a block’s changes stay invisible until committed', async () => {
    const before = chain.app.info();
    const result = await chain.app.finalizeBlock({ ...chain.block(), txs: [toyTx([{ signer: 's', key: 'a', amount: 1 }])] });
    assert.equal(result.txResults[0]!.code, 0);
    assert.notDeepEqual(result.appHash, before.appHash);
    assert.equal(chain.counter('a'), 5, 'not visible before commit');
    assert.deepEqual(chain.app.info(), before);
    const batch = chain.t.db.batch();
    chain.app.commit(batch);
    await batch.write();
    chain.app.committed();
    assert.equal(chain.counter('a'), 6);
    assert.deepEqual(chain.app.info(), { height: 1, appHash: result.appHash });
  });

  test('begin/end block hooks run, write state and emit block events', async () => {
    const result = await chain.deliver([]);
    assert.deepEqual(attrs(result.events, 'begin'), [{ height: '1' }]);
    assert.deepEqual(attrs(result.events, 'end'), [{ height: '1' }]);
    assert.equal(readCounter(chain.state, 'toy/last_begin'), 1);
  });

  test('the same blocks give the same app hashes on a second chain', async () => {
    const other = await toyChain({ a: 5, b: 7 });
    try {
      assert.deepEqual(other.app.info().appHash, chain.app.info().appHash);
      const blocks = [
        [toyTx([{ signer: 's', key: 'a', amount: 1 }]), toyTx([{ signer: 't', key: 'c', amount: 2 }])],
        [toyTx([{ signer: 's', key: 'a', amount: 3, fail: true }], { sequence: 1 })],
        [Uint8Array.of(1, 2, 3), toyTx([{ signer: 's', key: 'b', amount: 4 }], { sequence: 2 })],
      ];
      for (const txs of blocks) {
        const r1 = await chain.deliver(txs);
        const r2 = await other.deliver(txs);
        assert.deepEqual(r1.appHash, r2.appHash);
        assert.deepEqual(r1.txResults.map((r) => r.code), r2.txResults.map((r) => r.code));
      }
    } finally {
      await other.destroy();
    }
  });
});

describe('Application: executing txs', () => {
  let chain: ToyChain;
  beforeEach(async () => {
    chain = await toyChain({ a: 5 });
  });
  afterEach(async () => {
    await chain.destroy();
  });

  test('a successful tx: code 0, msg responses in data, gas used within the limit, tagged events', async () => {
    const { txResults } = await chain.deliver([toyTx([{ signer: 's', key: 'a', amount: 2 }, { signer: 's', key: 'b', amount: 3 }])]);
    const r = txResults[0]!;
    assert.equal(r.code, 0, r.log);
    assert.equal(r.gasWanted, 100_000);
    assert.ok(r.gasUsed > 0 && r.gasUsed <= r.gasWanted);
    const data = TxMsgData.decode(r.data);
    assert.deepEqual(data.msgResponses.map((m) => [m.typeUrl, dec.decode(m.value)]), [
      ['/test.toy.v1.MsgAddResponse', '2'],
      ['/test.toy.v1.MsgAddResponse', '3'],
    ]);
    assert.deepEqual(attrs(r.events, 'message'), [
      { action: TOY_MSG, sender: 's', module: 'toy', msg_index: '0' },
      { action: TOY_MSG, sender: 's', module: 'toy', msg_index: '1' },
    ]);
    assert.deepEqual(attrs(r.events, 'toy'), [
      { key: 'a', amount: '2', msg_index: '0' },
      { key: 'b', amount: '3', msg_index: '1' },
    ]);
    assert.deepEqual(attrs(r.events, 'tx'), [{ acc_seq: 's/0' }], 'ante events carry no msg_index');
    assert.equal(chain.counter('a'), 7);
    assert.equal(chain.counter('b'), 3);
  });

  test('a failing message reverts every message of the tx but keeps the ante effects', async () => {
    const { txResults } = await chain.deliver([toyTx([{ signer: 's', key: 'a', amount: 2 }, { signer: 's', key: 'a', amount: 1, fail: true }])]);
    const r = txResults[0]!;
    assert.equal(r.code, 5);
    assert.equal(r.codespace, 'sdk');
    assert.match(r.log, /^failed to execute message; cannot add 1: insufficient funds$/);
    assert.equal(chain.counter('a'), 5, 'messages reverted');
    assert.equal(readCounter(chain.state, nonceKey('s')), 1, 'sequence bumped');
    assert.equal(readCounter(chain.state, feesKey('s')), 1, 'fee paid');
    assert.deepEqual(r.events.map((e) => e.type), ['tx'], 'only the ante events remain');
    assert.equal(r.data.length, 0);
  });

  test('a failing ante handler leaves no trace: same app hash as an empty block', async () => {
    const before = await emptyBlockHash({ a: 5 });
    const { txResults, appHash } = await chain.deliver([
      toyTx([{ signer: 's', key: 'a', amount: 1 }], { sequence: 4 }),
      toyTx([{ signer: 's', key: 'a', amount: 1 }], { signature: enc.encode('bad') }),
    ]);
    assert.deepEqual(txResults.map((r) => r.code), [32, 4]);
    assert.match(txResults[0]!.log, /account sequence mismatch, expected 0, got 4: incorrect account sequence/);
    assert.deepEqual(txResults[1]!.events, []);
    assert.deepEqual(appHash, before);
    assert.equal(readCounter(chain.state, feesKey('s')), 0);
  });

  test('undecodable, unknown and oversized txs are included with their codes; the rest of the block runs', async () => {
    const { txResults } = await chain.deliver([
      Uint8Array.of(0x0a, 0x05, 0x01),
      toyTx([], { anys: [{ typeUrl: '/test.unknown.v1.Msg', value: new Uint8Array() }] }),
      toyTx([], { anys: [{ typeUrl: TOY_MSG, value: enc.encode('{not json') }] }),
      toyTx([{ signer: 's', key: 'a', amount: -1 }]),
      new Uint8Array(10_001),
      toyTx([{ signer: 's', key: 'a', amount: 1 }]),
    ]);
    assert.deepEqual(txResults.map((r) => r.code), [2, 6, 2, 18, 21, 0]);
    assert.match(txResults[1]!.log, /unrecognized message type "\/test.unknown.v1.Msg"/);
    assert.equal(chain.counter('a'), 6);
  });

  test('a handler that throws a plain Error fails the tx with code 111222, the chain goes on', async () => {
    const { txResults } = await chain.deliver([toyTx([{ signer: 's', key: 'a', amount: 1, panic: true }]), toyTx([{ signer: 't', key: 'a', amount: 1 }])]);
    assert.deepEqual(txResults.map((r) => r.code), [111222, 0]);
    assert.equal(chain.counter('a'), 6);
  });

  test('running out of gas in a message: code 11, messages reverted, ante effects kept', async () => {
    const tx = toyTx([{ signer: 's', key: 'a', amount: 1, heavy: 1000 }], { gas: 10_000 });
    const { txResults } = await chain.deliver([tx]);
    assert.equal(txResults[0]!.code, 11);
    assert.ok(txResults[0]!.gasUsed > 10_000);
    assert.equal(chain.counter('a'), 5);
    assert.equal(readCounter(chain.state, nonceKey('s')), 1);
  });

  test('running out of gas in the ante handler: code 11 and nothing kept', async () => {
    const before = await emptyBlockHash({ a: 5 });
    const { txResults, appHash } = await chain.deliver([toyTx([{ signer: 's', key: 'a', amount: 1 }], { gas: 10 })]);
    assert.equal(txResults[0]!.code, 11);
    assert.deepEqual(appHash, before);
  });

  test('a replayed tx fails with code 32 in a later block and in the same block', async () => {
    const tx = toyTx([{ signer: 's', key: 'a', amount: 1 }]);
    const first = await chain.deliver([tx, tx]);
    assert.deepEqual(first.txResults.map((r) => r.code), [0, 32]);
    const second = await chain.deliver([tx]);
    assert.equal(second.txResults[0]!.code, 32);
    assert.equal(chain.counter('a'), 6);
  });
});

describe('Application: checkTx against the check state', () => {
  let chain: ToyChain;
  beforeEach(async () => {
    chain = await toyChain();
  });
  afterEach(async () => {
    await chain.destroy();
  });

  const check = async (raw: Uint8Array, mode: 'check' | 'recheck' = 'check') => await chain.app.checkTx(raw, mode, chain.block());

  test('check runs only the ante handler: a tx whose message would fail is admitted', async () => {
    const r = await check(toyTx([{ signer: 's', key: 'a', amount: 1, fail: true }]));
    assert.equal(r.code, 0);
    assert.equal(r.priority, 100_000n);
    assert.ok(r.tx);
    assert.equal(r.gasUsed > 0, true);
  });

  test('the check state counts admitted txs: consecutive sequences pass, a repeated one fails', async () => {
    assert.equal((await check(toyTx([{ signer: 's', key: 'a', amount: 1 }], { sequence: 0 }))).code, 0);
    assert.equal((await check(toyTx([{ signer: 's', key: 'a', amount: 2 }], { sequence: 1 }))).code, 0);
    const again = await check(toyTx([{ signer: 's', key: 'a', amount: 3 }], { sequence: 1 }));
    assert.equal(again.code, 32);
    assert.equal(again.priority, 0n);
    assert.equal(chain.state.get(nonceKey('s')), undefined, 'committed state untouched');
  });

  test('a rejected tx leaves the check state as it was', async () => {
    assert.equal((await check(toyTx([{ signer: 's', key: 'a', amount: 1 }], { signature: enc.encode('bad') }))).code, 4);
    assert.equal((await check(toyTx([{ signer: 's', key: 'a', amount: 1 }]))).code, 0);
  });

  test('decode failures are reported by check too', async () => {
    assert.equal((await check(Uint8Array.of(0xff))).code, 2);
    assert.equal((await check(new Uint8Array(10_001))).code, 21);
    assert.equal((await check(toyTx([], { anys: [{ typeUrl: '/nope', value: new Uint8Array() }] }))).code, 6);
  });

  test('commit resets the check state to the committed state', async () => {
    const tx0 = toyTx([{ signer: 's', key: 'a', amount: 1 }], { sequence: 0 });
    const tx1 = toyTx([{ signer: 's', key: 'a', amount: 2 }], { sequence: 1 });
    assert.equal((await check(tx0)).code, 0);
    assert.equal((await check(tx1)).code, 0);
    // A block that includes only tx0: after commit, tx1 is valid on recheck, tx0 is not.
    await chain.deliver([tx0]);
    assert.equal((await check(tx1, 'recheck')).code, 0);
    assert.equal((await check(tx0, 'recheck')).code, 32);
  });
});

describe('Application: simulate and queries', () => {
  let chain: ToyChain;
  beforeEach(async () => {
    chain = await toyChain({ a: 1 });
  });
  afterEach(async () => {
    await chain.destroy();
  });

  test('simulate skips signature checks, runs the messages and reports gas; nothing is kept', async () => {
    const tx = toyTx([{ signer: 's', key: 'a', amount: 1 }], { signature: new Uint8Array() });
    const r: TxResult = chain.app.simulate(tx, chain.block());
    assert.equal(r.code, 0, r.log);
    assert.ok(r.gasUsed > 0);
    assert.equal(TxMsgData.decode(r.data).msgResponses.length, 1);
    // Nothing changed in the check state: the same sequence is still accepted.
    assert.equal(chain.app.simulate(tx, chain.block()).code, 0);
    assert.equal((await chain.app.checkTx(toyTx([{ signer: 's', key: 'a', amount: 1 }]), 'check', chain.block())).code, 0);
    assert.equal(chain.counter('a'), 1);
  });

  test('simulate reports message failures and decode errors', () => {
    assert.equal(chain.app.simulate(toyTx([{ signer: 's', key: 'a', amount: 1, fail: true }]), chain.block()).code, 5);
    assert.equal(chain.app.simulate(Uint8Array.of(0xff), chain.block()).code, 2);
    assert.equal(chain.app.simulate(toyTx([{ signer: 's', key: 'a', amount: 1 }], { sequence: 9 }), chain.block()).code, 32);
  });

  test('the Simulate gRPC path wraps simulate in SimulateRequest/SimulateResponse', async () => {
    const tx = toyTx([{ signer: 's', key: 'a', amount: 1 }], { signature: new Uint8Array() });
    const res = await chain.app.query(SIMULATE_PATH, SimulateRequest.encode({ txBytes: tx }).finish(), chain.block());
    assert.equal(res.code, 0, res.log);
    const decoded = SimulateResponse.decode(res.value);
    assert.ok(decoded.gasInfo);
    assert.ok(decoded.gasInfo.gasUsed > 0n);
    assert.equal(decoded.gasInfo.gasWanted, 100_000n);
    assert.equal(decoded.result?.msgResponses.length, 1);
    assert.ok(decoded.result?.events.some((e) => e.type === 'toy'));
    const bad = await chain.app.query(SIMULATE_PATH, SimulateRequest.encode({ txBytes: Uint8Array.of(0xff) }).finish(), chain.block());
    assert.equal(bad.code, 2);
  });

  test('module queries read the committed state; errors carry code and log', async () => {
    const ok = await chain.app.query('/test.toy.v1.Query/Counter', enc.encode('a'), chain.block());
    assert.deepEqual({ code: ok.code, value: dec.decode(ok.value), height: ok.height }, { code: 0, value: '1', height: 0 });
    const missing = await chain.app.query('/test.toy.v1.Query/Counter', enc.encode('zzz'), chain.block());
    assert.equal(missing.code, 22);
    assert.equal(missing.codespace, 'sdk');
    assert.match(missing.log, /counter zzz not found: key not found/);
    assert.equal(missing.value.length, 0);
    const unknown = await chain.app.query('/no.such.Query/Path', new Uint8Array(), chain.block());
    assert.equal(unknown.code, 6);
  });

  test('brokenInvariants is empty while the invariant holds and names the broken one otherwise', async () => {
    assert.deepEqual(await chain.app.brokenInvariants(), []);
    await chain.deliver([toyTx([{ signer: 's', key: 'a', amount: 2_000_000 }])]);
    const broken = await chain.app.brokenInvariants();
    assert.equal(broken.length, 1);
    assert.match(broken[0]!, /^toy\/limit: toy\/counter\/a is 2000001$/);
  });
});
