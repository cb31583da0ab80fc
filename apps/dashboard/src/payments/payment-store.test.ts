import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Payment } from './payment.js';
import { PaymentStore } from './payment-store.js';

const row = (height: number, owner: string, kind: Payment['kind'], amount: string): Payment & { owner: string } => ({ height, epoch: 1, kind, event: 'storage_payout', dealId: 1, amount, owner });

test('payment store: a block at a time; after a reopen it resumes at the last block, lists an owner newest first, others apart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trucom-payments-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let store = await PaymentStore.open(dir);
  assert.equal(await store.indexedHeight(), 0);
  await store.putBlock(9, [row(9, 'tru1a', 'escrow_locked', '100')], new Map([[1, 'tru1a']]));
  await store.putBlock(10, [row(10, 'tru1a', 'provider_payout', '1'), row(10, 'tru1a', 'provider_payout', '2'), row(10, 'tru1b', 'refund', '5')], new Map());
  await store.putBlock(11, [], new Map()); // a block without payments still moves the height
  await store.close();

  store = await PaymentStore.open(dir);
  t.after(() => store.close());
  assert.equal(await store.indexedHeight(), 11);
  assert.equal(await store.ownerOf(1), 'tru1a');
  assert.deepEqual((await store.ofOwner('tru1a', 10)).map((p) => [p.height, p.amount]), [[10, '2'], [10, '1'], [9, '100']]);
  assert.deepEqual((await store.ofOwner('tru1a', 2)).map((p) => p.amount), ['2', '1']);
  assert.deepEqual((await store.ofOwner('tru1b', 10)).map((p) => p.kind), ['refund']);
  assert.deepEqual(await store.ofOwner('tru1', 10), []); // a prefix of an address is not that address
});
