import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verdictFor } from './payments.js';

const deal = (id: number, status: string, used = '0', budget = '1000') => ({ id, status, bandwidthUsed: used, bandwidthBudget: budget, fundedUntilEpoch: 9 });

test('an active deal with budget left pays; otherwise 402 naming the newest deal and why', () => {
  assert.deepEqual(verdictFor([deal(1, 'cancelled'), deal(2, 'active')], false), { kind: 'paid', dealId: '2' });
  assert.deepEqual(verdictFor([deal(1, 'active', '1000')], true), { kind: 'unpaid', dealId: '1', reason: 'deal 1 has spent its bandwidth budget (1000utru); top it up with trucom deal topup 1 --bandwidth <utru>' });
  assert.match((verdictFor([deal(3, 'expired'), deal(1, 'cancelled')], true) as { reason: string }).reason, /^deal 3 is expired, funded until epoch 9/);
  assert.deepEqual(verdictFor([], true), { kind: 'unpaid', reason: 'no storage deal pays for this content yet' });
  assert.deepEqual(verdictFor([], false), { kind: 'unknown' });
});
