import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paymentsOfBlock, type AbciEvent } from './payment.js';

const OWNER = 'tru1owner';
const P1 = 'tru1provider1';
const ev = (type: string, attrs: Record<string, string>): AbciEvent => ({ type, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value })) });

test('txs: create, extend and top-up lock escrow, cancel refunds (with the payout of an already proved epoch); a failed tx counts for nothing', () => {
  const payments = paymentsOfBlock(
    {
      height: '25',
      txs_results: [
        { code: 0, events: [ev('message', { action: '/trucom.market.v1.MsgCreateDeal' }), ev('create_deal', { deal_id: '4', owner: OWNER, amount: '9000utru', providers: `${P1},x` }), ev('replica_assigned', { deal_id: '4', provider: P1 })] },
        { code: 5, events: [ev('extend_deal', { deal_id: '4', amount: '999utru' })] },
        { code: 0, events: [ev('extend_deal', { deal_id: '4', epochs: '3', amount: '300utru' }), ev('top_up_deal', { deal_id: '4', amount: '50utru' })] },
        { code: 0, events: [ev('storage_payout', { deal_id: '2', provider: P1, epoch: '3', amount: '7utru' }), ev('cancel_deal', { deal_id: '2', owner: OWNER, amount: '120utru' })] },
      ],
      finalize_block_events: null,
    },
    10,
  );
  assert.deepEqual(payments, [
    { height: 25, epoch: 3, kind: 'escrow_locked', event: 'create_deal', dealId: 4, amount: '9000', owner: OWNER },
    { height: 25, epoch: 3, kind: 'escrow_locked', event: 'extend_deal', dealId: 4, amount: '300' },
    { height: 25, epoch: 3, kind: 'escrow_locked', event: 'top_up_deal', dealId: 4, amount: '50' },
    { height: 25, epoch: 3, kind: 'provider_payout', event: 'storage_payout', dealId: 2, amount: '7', provider: P1 },
    { height: 25, epoch: 3, kind: 'refund', event: 'cancel_deal', dealId: 2, amount: '120', owner: OWNER },
  ]);
});

test("epoch end: payouts for the epoch, bandwidth claims, expiry refund; missed proofs and other denoms are not the owner's payments", () => {
  const payments = paymentsOfBlock(
    {
      height: '30',
      txs_results: [{ code: 0, events: [ev('bandwidth_claimed', { deal_id: '4', provider: P1, bytes: '1048576', period: '2', amount: '12utru' })] }],
      finalize_block_events: [
        ev('storage_payout', { deal_id: '4', provider: P1, epoch: '3', amount: '100utru' }),
        ev('proof_missed', { deal_id: '4', provider: 'tru1lazy', epoch: '3', amount: '5utru' }),
        ev('storage_payout', { deal_id: '4', provider: P1, epoch: '3', amount: '100uatom' }),
        ev('deal_expired', { deal_id: '5', owner: OWNER, epoch: '3', amount: '0utru' }),
      ],
    },
    10,
  );
  assert.deepEqual(
    payments.map((p) => [p.kind, p.dealId, p.amount, p.epoch, p.provider ?? p.owner]),
    [
      ['bandwidth_claim', 4, '12', 3, P1],
      ['provider_payout', 4, '100', 3, P1],
      ['refund', 5, '0', 3, OWNER],
    ],
  );
});

test('the first block of an epoch belongs to it (epochs of 10 blocks: 1-10 is epoch 1, 11 starts epoch 2)', () => {
  const at = (height: number) => paymentsOfBlock({ height: String(height), txs_results: [{ code: 0, events: [ev('top_up_deal', { deal_id: '1', amount: '1utru' })] }], finalize_block_events: [] }, 10)[0]!.epoch;
  assert.deepEqual([at(1), at(10), at(11)], [1, 1, 2]);
});
