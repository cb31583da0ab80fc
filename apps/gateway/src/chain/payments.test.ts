import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { RAW_CODE } from '@trucom/content';
import { PaymentBook, verdictFor } from './payments.js';

const deal = (id: number, status: string, used = '0', budget = '1000') => ({ id, status, bandwidthUsed: used, bandwidthBudget: budget, fundedUntilEpoch: 9 });

test('an active deal with budget left pays; otherwise 402 naming the newest deal and why', () => {
  assert.deepEqual(verdictFor([deal(1, 'cancelled'), deal(2, 'active')], false), { kind: 'paid', dealId: '2' });
  assert.deepEqual(verdictFor([deal(1, 'active', '1000')], true), { kind: 'unpaid', dealId: '1', reason: 'deal 1 has spent its bandwidth budget (1000utru); top it up with trucom deal topup 1 --bandwidth <utru>' });
  assert.match((verdictFor([deal(3, 'expired'), deal(1, 'cancelled')], true) as { reason: string }).reason, /^deal 3 is expired, funded until epoch 9/);
  assert.deepEqual(verdictFor([], true), { kind: 'unpaid', reason: 'no storage deal pays for this content yet' });
  assert.deepEqual(verdictFor([], false), { kind: 'unknown' });
});

test('a block inside a held DAG is paid for by the deal of a root that holds it; unpaid roots do not pay', async () => {
  const cid = async (label: string) => CID.createV1(RAW_CODE, await sha256.digest(new TextEncoder().encode(label)));
  const [site, oldSite, leaf, stray] = await Promise.all(['site', 'old-site', 'leaf', 'stray'].map(cid));
  const deals: Record<string, ReturnType<typeof deal>[]> = { [site.toString()]: [deal(7, 'active')], [oldSite.toString()]: [deal(3, 'cancelled')] };
  const chain = { dealsOf: async (q: { cid?: string }) => ({ deals: deals[q.cid!] ?? [] }) } as unknown as ConstructorParameters<typeof PaymentBook>[0];
  const roots = new Map([[leaf.toString(), [oldSite, site]]]);
  const book = new PaymentBook(chain, async (c) => roots.has(c.toString()), (c) => roots.get(c.toString()) ?? []);
  assert.deepEqual(await book.verdict(leaf), { kind: 'paid', dealId: '7' });
  roots.set(leaf.toString(), [oldSite]);
  const alone = new PaymentBook(chain, async () => true, (c) => roots.get(c.toString()) ?? []);
  assert.deepEqual(await alone.verdict(leaf), { kind: 'unpaid', reason: 'no storage deal pays for this content yet' });
  assert.deepEqual(await alone.verdict(stray), { kind: 'unpaid', reason: 'no storage deal pays for this content yet' });
});
