import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256, toHex, toUpperHex } from '@trucom/crypto';
import { TxIndex, eventsSatisfy } from './tx-index.js';
import { QueryParseError } from './query.js';
import type { ExecTxResult } from './types.js';
import { tempDB, type TempDB } from '../testing/temp-db.js';

const enc = new TextEncoder();
const S1 = 'tru1sender1';
const S2 = 'tru1sender2';
const R1 = 'tru1recipient1';
const R2 = 'tru1recipient2';
const R3 = 'tru1recipient3';

type Attrs = Record<string, string>;
const ev = (type: string, attrs: Attrs, index = true) => ({ type, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value, index })) });

/** The events a bank MsgSend emits (fee part trimmed), as the app produces them. */
function sendResult(sender: string, recipient: string, amount: string, extra: ReturnType<typeof ev>[] = []): ExecTxResult {
  return {
    code: 0,
    gasWanted: 200000,
    gasUsed: 60000,
    events: [
      ev('tx', { fee: '2000utru', fee_payer: sender }),
      ev('message', { action: '/cosmos.bank.v1beta1.MsgSend', sender, module: 'bank', msg_index: '0' }),
      ev('transfer', { recipient, sender, amount, msg_index: '0' }),
      ...extra,
    ],
  };
}

interface IndexedTx {
  readonly name: string;
  readonly height: number;
  readonly raw: Uint8Array;
  readonly hash: Uint8Array;
  readonly result: ExecTxResult;
}

const BLOCKS: { height: number; txs: { name: string; result: ExecTxResult }[] }[] = [
  {
    height: 1,
    txs: [
      { name: 'A', result: sendResult(S1, R1, '100utru') },
      { name: 'B', result: sendResult(S1, R2, '200utru', [ev('secret', { note: 'hidden' }, false)]) },
    ],
  },
  {
    height: 2,
    txs: [
      { name: 'C', result: sendResult(S2, R1, '300utru', [ev('transfer', { recipient: R1, sender: S2, amount: '1utru' })]) },
      { name: 'D', result: { code: 5, codespace: 'sdk', log: 'insufficient funds', events: [ev('tx', { fee: '2000utru', fee_payer: S2 })] } },
      { name: 'W', result: { code: 0, events: [ev('wasm', { 'contract.address': 'tru1contract', epochs: '10' }), ev('deal', { epochs: '9' })] } },
    ],
  },
  {
    height: 10,
    txs: Array.from({ length: 5 }, (_, i) => ({ name: `E${i}`, result: sendResult(S1, R3, `${i + 1}utru`) })),
  },
];

describe('TxIndex (CometBFT kv indexer) on LevelDB', () => {
  let t: TempDB;
  let index: TxIndex;
  const all: IndexedTx[] = [];
  const byName = (n: string) => all.find((x) => x.name === n)!;
  const names = (records: { tx: Uint8Array }[]) => records.map((r) => all.find((x) => toHex(x.raw) === toHex(r.tx))!.name);

  async function search(query: string, page = 1, perPage = 30, desc = false) {
    const { records, total } = await index.search(query, { page, perPage, desc });
    return { names: names(records), total };
  }

  before(async () => {
    t = await tempDB();
    index = new TxIndex(t.db);
    for (const block of BLOCKS) {
      const txs = block.txs.map((x) => ({ ...x, height: block.height, raw: enc.encode(`tx ${x.name}`) }));
      const indexed = txs.map((x) => ({ ...x, hash: sha256(x.raw) }));
      all.push(...indexed);
      const effects = t.db.effectsBatch();
      index.index(effects, block.height, indexed.map((x) => x.raw), indexed.map((x) => x.hash), indexed.map((x) => x.result));
      await effects.blocks.write();
      await effects.main.write();
    }
  });

  after(async () => {
    await t.destroy();
  });

  test('get() returns the stored record: height, index in block, exact bytes, result', async () => {
    const c = byName('C');
    const record = await index.get(c.hash);
    assert.ok(record);
    assert.equal(Number(record.height), 2);
    assert.equal(record.index, 0);
    assert.deepEqual(new Uint8Array(record.tx), c.raw);
    assert.equal(record.result?.code ?? 0, 0);
    assert.equal(record.result?.events?.length, 4);
    const d = await index.get(byName('D').hash);
    assert.equal(d?.index, 1);
    assert.deepEqual(new Uint8Array(d!.tx), byName('D').raw, 'records of one block are stored apart');
    assert.equal(d?.result?.code, 5);
    assert.equal(d?.result?.codespace, 'sdk');
    assert.equal(await index.get(sha256(enc.encode('never indexed'))), undefined);
  });

  test("tx.hash='…' finds exactly that tx, in upper or lower case hex", async () => {
    const b = byName('B');
    assert.deepEqual(await search(`tx.hash='${toUpperHex(b.hash)}'`), { names: ['B'], total: 1 });
    assert.deepEqual(await search(`tx.hash='${toHex(b.hash)}'`), { names: ['B'], total: 1 });
    assert.deepEqual(await search(`tx.hash='${toUpperHex(sha256(enc.encode('nope')))}'`), { names: [], total: 0 });
    assert.deepEqual(await search(`tx.hash='not hex'`), { names: [], total: 0 });
  });

  test('tx.hash combined with another condition must satisfy both', async () => {
    const b = byName('B');
    assert.deepEqual(await search(`tx.hash='${toUpperHex(b.hash)}' AND tx.height=1`), { names: ['B'], total: 1 });
    assert.deepEqual(await search(`tx.hash='${toUpperHex(b.hash)}' AND tx.height=2`), { names: [], total: 0 });
  });

  test('tx.height=N lists the block in index order', async () => {
    assert.deepEqual(await search('tx.height=1'), { names: ['A', 'B'], total: 2 });
    assert.deepEqual(await search('tx.height=2'), { names: ['C', 'D', 'W'], total: 3 });
    assert.deepEqual(await search('tx.height=3'), { names: [], total: 0 });
  });

  test('tx.height ranges compare numerically (10 > 2)', async () => {
    assert.deepEqual((await search('tx.height>1')).names, ['C', 'D', 'W', 'E0', 'E1', 'E2', 'E3', 'E4']);
    assert.deepEqual((await search('tx.height>=2 AND tx.height<10')).names, ['C', 'D', 'W']);
    assert.deepEqual((await search('tx.height<=1')).names, ['A', 'B']);
  });

  test('an event attribute selects every tx that emitted it, across heights', async () => {
    assert.deepEqual(await search(`transfer.recipient='${R1}'`), { names: ['A', 'C'], total: 2 });
    assert.deepEqual(await search(`message.sender='${S1}'`), { names: ['A', 'B', 'E0', 'E1', 'E2', 'E3', 'E4'], total: 7 });
  });

  test('AND intersects, also across different events of the same tx', async () => {
    assert.deepEqual((await search(`transfer.recipient='${R1}' AND message.sender='${S2}'`)).names, ['C']);
    assert.deepEqual((await search(`transfer.recipient='${R1}' AND message.sender='${S1}'`)).names, ['A']);
    assert.deepEqual((await search(`transfer.recipient='${R2}' AND message.sender='${S2}'`)).names, []);
    assert.deepEqual((await search(`message.sender='${S1}' AND tx.height=1`)).names, ['A', 'B']);
    assert.deepEqual((await search(`message.sender='${S1}' AND tx.height>1 AND transfer.amount='3utru'`)).names, ['E2']);
  });

  test('a tx emitting the same attribute twice is returned once', async () => {
    assert.deepEqual((await search(`transfer.sender='${S2}'`)).names, ['C']);
  });

  test('failed txs are indexed too (their fee events)', async () => {
    assert.deepEqual((await search(`tx.fee_payer='${S2}'`)).names, ['C', 'D']);
  });

  test('CONTAINS and EXISTS', async () => {
    assert.deepEqual((await search(`message.action CONTAINS 'MsgSend'`)).total, 8);
    assert.deepEqual((await search(`transfer.recipient CONTAINS 'recipient3'`)).total, 5);
    assert.deepEqual((await search(`transfer.amount EXISTS AND tx.height=1`)).names, ['A', 'B']);
    assert.deepEqual((await search(`wasm.epochs EXISTS`)).names, ['W']);
  });

  test('numeric comparison on event values', async () => {
    assert.deepEqual((await search('wasm.epochs>9')).names, ['W']);
    assert.deepEqual((await search('deal.epochs>9')).names, []);
    assert.deepEqual((await search('deal.epochs=9')).names, ['W']);
  });

  test('attribute keys containing dots are matched on the full "type.key"', async () => {
    assert.deepEqual((await search(`wasm.contract.address='tru1contract'`)).names, ['W']);
  });

  test('attributes not marked for indexing are not searchable', async () => {
    assert.deepEqual(await search(`secret.note='hidden'`), { names: [], total: 0 });
    assert.deepEqual(await search(`secret.note EXISTS`), { names: [], total: 0 });
  });

  test('paging: pages of perPage in (height, index) order, total counts every match', async () => {
    const q = `transfer.recipient='${R3}'`;
    assert.deepEqual(await search(q, 1, 2), { names: ['E0', 'E1'], total: 5 });
    assert.deepEqual(await search(q, 2, 2), { names: ['E2', 'E3'], total: 5 });
    assert.deepEqual(await search(q, 3, 2), { names: ['E4'], total: 5 });
    assert.deepEqual(await search(q, 4, 2), { names: [], total: 5 });
    assert.deepEqual(await search(q, 1, 100), { names: ['E0', 'E1', 'E2', 'E3', 'E4'], total: 5 });
  });

  test('descending order', async () => {
    assert.deepEqual(await search(`message.sender='${S1}'`, 1, 3, true), { names: ['E4', 'E3', 'E2'], total: 7 });
    assert.deepEqual(await search(`message.sender='${S1}'`, 2, 3, true), { names: ['E1', 'E0', 'B'], total: 7 });
    assert.deepEqual(await search(`message.sender='${S1}'`, 3, 3, true), { names: ['A'], total: 7 });
  });

  test('a malformed query throws QueryParseError', async () => {
    await assert.rejects(index.search('tx.height=', { page: 1, perPage: 10 }), QueryParseError);
    await assert.rejects(index.search(`transfer.recipient='x' OR tx.height=1`, { page: 1, perPage: 10 }), QueryParseError);
  });

  test('one attribute row per block lists the index of every tx that emitted the value, in block order', async () => {
    const rows: Uint8Array[] = [];
    for await (const v of t.db.values({ gte: Buffer.from('e/message.sender\u0000' + S1 + '\u0000'), lt: Buffer.from('e/message.sender\u0000' + S1 + '\u0001') })) rows.push(v);
    assert.equal(rows.length, 2); // heights 1 and 10
    assert.deepEqual(Buffer.from(rows[1]!), Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4]), 'the indexes of E0..E4 in their block');
  });

  test('the index survives a restart', async () => {
    await t.reopen();
    index = new TxIndex(t.db);
    assert.deepEqual(await search(`transfer.recipient='${R1}'`), { names: ['A', 'C'], total: 2 });
    assert.ok(await index.get(byName('E4').hash));
  });
});

describe('eventsSatisfy', () => {
  const events = [ev('transfer', { recipient: R1, amount: '5utru' }), ev('wasm', { 'contract.address': 'c1' }), ev('hidden', { k: 'v' }, false)];

  test('matches on the composite type.key of indexed attributes', () => {
    assert.equal(eventsSatisfy(events, { tag: 'transfer.recipient', op: '=', value: R1 }), true);
    assert.equal(eventsSatisfy(events, { tag: 'transfer.recipient', op: '=', value: R2 }), false);
    assert.equal(eventsSatisfy(events, { tag: 'transfer.amount', op: 'CONTAINS', value: 'utru' }), true);
    assert.equal(eventsSatisfy(events, { tag: 'wasm.contract.address', op: '=', value: 'c1' }), true);
    assert.equal(eventsSatisfy(events, { tag: 'hidden.k', op: 'EXISTS' }), false);
    assert.equal(eventsSatisfy(events, { tag: 'message.sender', op: 'EXISTS' }), false);
    assert.equal(eventsSatisfy([], { tag: 'transfer.recipient', op: 'EXISTS' }), false);
  });
});
