import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { trucom } from '@trucom/proto';
import { BandwidthMeter } from './meter.js';
import type { TxQueue } from './tx-queue.js';

const ME = 'tru1me';
const GIB = 2 ** 30;
/** utru per GiB served: one utru is GiB / 100000 ≈ 10737.4 bytes. */
const PRICE = 100_000;
const ONE_UTRU_BYTES = Math.ceil(GIB / PRICE);

type Deal = trucom.market.v1.IDeal;
const deal = (id: number, over: Partial<Deal> = {}, replicas = [ME, 'tru1b', 'tru1c']): Deal => ({
  id,
  status: 'active',
  bandwidthBudget: '1000000',
  bandwidthUsed: '0',
  replicas: replicas.map((provider) => ({ provider, status: 'active', bandwidthPrice: String(PRICE) })),
  ...over,
});

function meterOver(deals: Deal[]) {
  const sent: { dealId: number; bytes: number; period: number }[][] = [];
  const txs = {
    address: ME,
    submit: async (msgs: { value: { dealId: number; bytes: number; period: number } }[]) => {
      sent.push(msgs.map((m) => m.value));
      return { code: 0, height: 1 };
    },
  } as unknown as TxQueue;
  const chain = { deal: async (id: number | string) => ({ deal: deals.find((d) => String(d.id) === String(id)) }) };
  let now = 1_000_000;
  const meter = new BandwidthMeter(txs, chain as never, pino({ level: 'silent' }), () => (now += 1000));
  return { meter, sent };
}

test('claims only whole utru and keeps the remainder counted for the next claim', async () => {
  const { meter, sent } = meterOver([deal(1)]);
  meter.record('1', 500);
  await meter.claim();
  assert.equal(sent.length, 0, 'less than one utru: nothing claimed (the chain would pay 0 and the bytes would be lost)');
  assert.equal(meter.pending('1'), 500);

  meter.record('1', 3 * ONE_UTRU_BYTES);
  await meter.claim();
  assert.equal(sent.length, 1);
  const [claim] = sent[0]!;
  const paid = Math.floor((claim!.bytes * PRICE) / GIB);
  assert.equal(paid, 3, 'the claim is worth 3 utru');
  assert.ok(claim!.bytes <= 500 + 3 * ONE_UTRU_BYTES);
  assert.equal(claim!.bytes + meter.pending('1'), 500 + 3 * ONE_UTRU_BYTES, 'no byte is lost');
  assert.ok(meter.pending('1') < ONE_UTRU_BYTES);
});

test("a deal this provider is no replica of (or that ended or ran out of budget) does not spoil the others' claims", async () => {
  const { meter, sent } = meterOver([
    deal(1),
    deal(2, {}, ['tru1x', 'tru1y', 'tru1z']),
    deal(3, { status: 'cancelled' }),
    deal(4, { bandwidthUsed: '1000000' }),
    deal(5),
  ]);
  for (const id of ['1', '2', '3', '4', '5', '6']) meter.record(id, 2 * ONE_UTRU_BYTES);
  await meter.claim();
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0]!.map((c) => c.dealId), [1, 5], 'only deals the chain will pay are claimed');
  for (const id of ['2', '3', '4', '6']) assert.equal(meter.pending(id), 0, `deal ${id}: dropped`);
  // later claims carry strictly increasing periods
  meter.record('1', ONE_UTRU_BYTES);
  await meter.claim();
  assert.ok(sent[1]![0]!.period > sent[0]![0]!.period);
});
