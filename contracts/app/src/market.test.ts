import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { moduleAddress } from '@trucom/crypto';
import { trucom } from '@trucom/proto';
import { COLLATERAL_MODULE, ESCROW_MODULE } from '@trucom/market';
import {
  advanceTo,
  attrs,
  deliverTxs,
  fails,
  firstResponse,
  msgCancelDeal,
  msgClaimBandwidth,
  msgCreateDeal,
  msgExitProvider,
  msgExtendDeal,
  msgProveStorage,
  msgRegisterProvider,
  msgTopUpDeal,
  msgUpdateProvider,
  ok,
  queryChallenges,
  send,
  queryDeal,
  queryProvider,
  testAccounts,
  TestChain,
  type TestAccount,
} from './testing.js';
import { testContent, type TestContent } from './testing/content.js';

const pb = trucom.market.v1;
const B = 5; // epoch_blocks
const GIB = 2 ** 30;
const firstHeight = (epoch: number) => (epoch - 1) * B + 1;
const lastHeight = (epoch: number) => epoch * B;
/** The epoch of the last committed block. */
const epochAt = (chain: TestChain) => Math.floor((chain.height - 1) / B) + 1;

let owner: TestAccount, other: TestAccount, poor: TestAccount;
let providers: TestAccount[];
let content: TestContent, content2: TestContent;

before(async () => {
  const accounts = await testAccounts(9, 500);
  [owner, other, poor] = accounts;
  providers = accounts.slice(3);
  content = await testContent(1);
  content2 = await testContent(2, 300 * 1024);
});

async function newChain(): Promise<TestChain> {
  return TestChain.start({
    balances: [
      { address: owner.address, coins: '10000000000utru' },
      { address: other.address, coins: '10000000000utru' },
      { address: poor.address, coins: '100utru' },
      ...providers.map((p) => ({ address: p.address, coins: '100000000utru' })),
    ],
    minGasPrice: null,
    appState: { market: { params: { epoch_blocks: B, min_replicas: 3, max_missed_epochs: 2, miss_slash_fraction: '0.1', min_collateral: '1000000' } } },
  });
}

const byAddress = (address: string) => providers.find((p) => p.address === address)!;

/** Every named provider answers its open challenge for `dealId` from the challenges query, all in the next block. */
async function prove(chain: TestChain, dealId: number, who: readonly TestAccount[], c = content) {
  const txs = [];
  for (const p of who) {
    const ch = (await queryChallenges(chain, p.address)).challenges.find((x) => x.dealId === dealId);
    assert.ok(ch, `${p.address} has a challenge for deal ${dealId}`);
    txs.push({ account: p, msgs: [msgProveStorage(p.address, dealId, ch.epoch, await c.prove(ch.seed))] });
  }
  const block = await deliverTxs(chain, txs);
  for (const r of block.txResults) assert.equal(r.code, 0, r.log);
  return block;
}

describe('market: providers, deals, proofs, repair, cancel', () => {
  let chain: TestChain;
  let assigned: TestAccount[];
  let spare: TestAccount;
  const collateral = 10_000_000n;
  before(async () => {
    chain = await newChain();
  });
  after(() => chain.destroy());

  test('four providers register, bonding collateral into market_collateral', async () => {
    const prices = ['100', '80', '100', '90'];
    const block = await deliverTxs(
      chain,
      providers.slice(0, 4).map((p, i) => ({ account: p, msgs: [msgRegisterProvider(p.address, { endpoint: `http://127.0.0.1:808${i}`, price: prices[i], collateral: collateral.toString() })] })),
    );
    for (const r of block.txResults) assert.equal(r.code, 0, r.log);
    assert.equal(attrs(block.txResults[0]!.events, 'register_provider')[0]!.endpoint, 'http://127.0.0.1:8080');
    assert.equal(await chain.balance(moduleAddress(COLLATERAL_MODULE)), 4n * collateral);
    assert.equal(await chain.balance(providers[0]!.address), 100_000_000n - collateral);
    const p1 = await queryProvider(chain, providers[1]!.address);
    assert.deepEqual([p1.status, p1.price, p1.collateral, p1.capacity, p1.used], ['active', 80n, collateral, 10 * GIB, 0]);
  });

  test('a deal gets 3 distinct providers drawn from the block hash and locks its whole cost in escrow', async () => {
    const before = await chain.balance(owner.address);
    const { tx } = await ok(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid, size: content.size, duration: 6, maxPrice: '100', bandwidthBudget: '5000' })]);
    const r = pb.MsgCreateDealResponse.decode(firstResponse(tx).value);
    // 600 KiB is charged as 1 GiB: 100 utru × 1 GiB × 3 replicas × 6 epochs + 5000 bandwidth budget
    assert.equal(r.escrow, '6800');
    assert.equal(r.dealId, 1);
    assert.equal(new Set(r.providers).size, 3);
    assert.equal(before - (await chain.balance(owner.address)), 6800n);
    assert.equal(await chain.balance(moduleAddress(ESCROW_MODULE)), 6800n);
    const created = attrs(tx.events, 'create_deal')[0]!;
    assert.equal(created.providers, r.providers.join(','));
    assert.equal(attrs(tx.events, 'replica_assigned').length, 3);
    const { deal, endpoints, currentEpoch } = await queryDeal(chain, 1);
    assert.deepEqual([deal.status, deal.cid, deal.kind, deal.profile, deal.startEpoch, deal.fundedUntilEpoch], ['active', content.cid, 'site', 'cidv1-256k-174', currentEpoch + 1, currentEpoch + 6]);
    assert.deepEqual(deal.replicas.map((x) => x.status), ['active', 'active', 'active']);
    for (const p of r.providers) assert.match(endpoints[p]!, /^http:\/\/127\.0\.0\.1:808[0-3]$/);
    assigned = r.providers.map(byAddress);
    spare = providers.slice(0, 4).find((p) => !r.providers.includes(p.address))!;
    assert.equal((await queryProvider(chain, assigned[0]!.address)).used, content.size);
  });

  test('no challenge before the first funded epoch; proofs in it pay each replica its own price at the epoch end', async () => {
    const start = (await queryDeal(chain, 1)).deal.startEpoch;
    assert.deepEqual((await queryChallenges(chain, assigned[0]!.address)).challenges, []);
    await advanceTo(chain, firstHeight(start));
    const ch = await queryChallenges(chain, assigned[0]!.address);
    assert.equal(ch.epoch, start);
    assert.equal(ch.epochEndHeight, lastHeight(start));
    assert.equal(ch.challenges.length, 1);
    assert.equal(ch.challenges[0]!.cid, content.cid);
    assert.equal(ch.challenges[0]!.seed.length, 32);
    const before = await Promise.all(assigned.map((p) => chain.balance(p.address)));
    const block = await prove(chain, 1, assigned);
    assert.equal(attrs(block.txResults[0]!.events, 'proof_accepted')[0]!.epoch, String(start));
    assert.ok((await queryChallenges(chain, assigned[0]!.address)).challenges[0]!.proven);
    const end = await advanceTo(chain, lastHeight(start));
    const payouts = attrs(end.at(-1)!.events, 'storage_payout');
    assert.equal(payouts.length, 3);
    for (const [i, p] of assigned.entries()) {
      const price = (await queryProvider(chain, p.address)).price;
      assert.equal((await chain.balance(p.address)) - before[i]!, price);
      assert.equal(payouts.find((x) => x.provider === p.address)!.amount, `${price}utru`);
    }
    const deal = (await queryDeal(chain, 1)).deal;
    assert.equal(deal.settledEpoch, start);
    assert.deepEqual(deal.replicas.map((x) => x.lastProvenEpoch), [start, start, start]);
  });

  test('a missed proof pays nothing and burns 10% of the collateral; the second miss fails the replica and repairs onto the spare', async () => {
    const victim = assigned[2]!;
    const honest = assigned.slice(0, 2);
    const supply0 = BigInt((await chain.totalSupply())[0]!.amount);
    let epoch = (await queryDeal(chain, 1)).deal.settledEpoch + 1;
    await advanceTo(chain, firstHeight(epoch));
    await prove(chain, 1, honest);
    let end = (await advanceTo(chain, lastHeight(epoch))).at(-1)!;
    const missed = attrs(end.events, 'proof_missed');
    assert.deepEqual(missed, [{ deal_id: '1', provider: victim.address, epoch: String(epoch), missed: '1', amount: '1000000utru' }]);
    assert.equal(attrs(end.events, 'storage_payout').length, 2);
    assert.equal((await queryProvider(chain, victim.address)).collateral, 9_000_000n);
    assert.equal(BigInt((await chain.totalSupply())[0]!.amount), supply0 - 1_000_000n, 'the slash is burned');
    assert.equal((await queryDeal(chain, 1)).deal.replicas[2]!.status, 'faulty');

    epoch++;
    await advanceTo(chain, firstHeight(epoch));
    await prove(chain, 1, honest);
    end = (await advanceTo(chain, lastHeight(epoch))).at(-1)!;
    assert.equal(attrs(end.events, 'proof_missed')[0]!.amount, '900000utru');
    assert.deepEqual(attrs(end.events, 'replica_failed'), [{ deal_id: '1', provider: victim.address, epoch: String(epoch), missed: '2' }]);
    assert.deepEqual(attrs(end.events, 'repair_assigned'), [{ deal_id: '1', provider: spare.address, epoch: String(epoch + 1) }]);
    const deal = (await queryDeal(chain, 1)).deal;
    assert.deepEqual(
      deal.replicas.map((x) => [x.provider, x.status]),
      [...honest.map((p) => [p.address, 'active']), [victim.address, 'failed'], [spare.address, 'repairing']],
    );
    const v = await queryProvider(chain, victim.address);
    assert.deepEqual([v.used, v.liveReplicas, v.slashed], [0, 0, 1_900_000n]);
    assert.equal((await queryProvider(chain, spare.address)).used, content.size);
    assert.deepEqual((await queryChallenges(chain, victim.address)).challenges, []);
    assert.deepEqual((await queryChallenges(chain, spare.address)).challenges, [], 'the repair is challenged from the next epoch on');

    epoch++;
    await advanceTo(chain, firstHeight(epoch));
    assert.equal((await queryChallenges(chain, spare.address)).challenges[0]!.status, 'repairing');
    await prove(chain, 1, [spare, ...honest]);
    assert.equal((await queryDeal(chain, 1)).deal.replicas[3]!.status, 'active');
    await fails(chain, victim, [msgProveStorage(victim.address, 1, epoch, await content.prove(new Uint8Array(32)))], 'market', 18, /no live replica/);
    end = (await advanceTo(chain, lastHeight(epoch))).at(-1)!;
    assert.equal(attrs(end.events, 'storage_payout').length, 3);
    assigned = [...honest, spare];
  });

  test('extend and top up lock more; only the owner may; cancel pays this epoch\'s proofs and refunds the rest', async () => {
    await fails(chain, other, [msgExtendDeal(other.address, 1, 2)], 'market', 8, /belongs to/);
    const { tx: ext } = await ok(chain, owner, [msgExtendDeal(owner.address, 1, 2)]);
    assert.equal(pb.MsgExtendDealResponse.decode(firstResponse(ext).value).fundedUntilEpoch, (await queryDeal(chain, 1)).deal.fundedUntilEpoch);
    assert.equal(attrs(ext.events, 'extend_deal')[0]!.amount, '600utru');
    await ok(chain, owner, [msgTopUpDeal(owner.address, 1, '1000')]);
    assert.equal((await queryDeal(chain, 1)).deal.bandwidthBudget, 6000n);

    const epoch = epochAt(chain) + 1;
    await advanceTo(chain, firstHeight(epoch));
    await prove(chain, 1, [assigned[0]!]);
    const escrow = (await queryDeal(chain, 1)).deal.escrow;
    const before = await chain.balance(owner.address);
    await fails(chain, other, [msgCancelDeal(other.address, 1)], 'market', 8);
    const { tx } = await ok(chain, owner, [msgCancelDeal(owner.address, 1)]);
    const price = (await queryProvider(chain, assigned[0]!.address)).price;
    assert.deepEqual(attrs(tx.events, 'storage_payout').map((x) => x.provider), [assigned[0]!.address]);
    const refund = BigInt(pb.MsgCancelDealResponse.decode(firstResponse(tx).value).refund);
    assert.equal(refund, escrow - price);
    assert.equal((await chain.balance(owner.address)) - before, refund);
    const deal = (await queryDeal(chain, 1)).deal;
    assert.deepEqual([deal.status, deal.escrow, deal.closedEpoch], ['cancelled', 0n, epoch]);
    assert.equal(deal.locked, deal.paid + deal.refunded);
    for (const p of assigned) assert.deepEqual([(await queryProvider(chain, p.address)).used, (await queryProvider(chain, p.address)).liveReplicas], [0, 0]);
    assert.equal(await chain.balance(moduleAddress(ESCROW_MODULE)), 0n);
    const { tx: again, block: end } = await send(chain, owner, [msgCancelDeal(owner.address, 1)]);
    assert.equal(`${again.codespace}/${again.code}`, 'market/9');
    assert.match(again.log, /cancelled/);
    assert.equal(chain.height, lastHeight(epoch));
    assert.deepEqual(attrs(end.events, 'storage_payout'), [], 'a cancelled deal is skipped at the epoch end');
  });

  test('expiry at the end of the last funded epoch refunds what was not paid (price difference, missed epochs, budget)', async () => {
    const { tx } = await ok(chain, owner, [msgCreateDeal(owner.address, { cid: content2.cid, size: content2.size, duration: 2, maxPrice: '200', bandwidthBudget: '300' })]);
    const r = pb.MsgCreateDealResponse.decode(firstResponse(tx).value);
    assert.equal(r.escrow, String(200 * 3 * 2 + 300));
    const who = r.providers.map(byAddress);
    const prices = await Promise.all(who.map(async (p) => (await queryProvider(chain, p.address)).price));
    const before = await chain.balance(owner.address);
    await advanceTo(chain, firstHeight(r.startEpoch));
    await prove(chain, r.dealId, who, content2);
    await advanceTo(chain, firstHeight(r.fundedUntilEpoch));
    await prove(chain, r.dealId, who.slice(0, 2), content2);
    const end = (await advanceTo(chain, lastHeight(r.fundedUntilEpoch))).at(-1)!;
    const paid = prices.reduce((a, b) => a + b, 0n) + prices[0]! + prices[1]!;
    const refund = 1500n - paid;
    assert.deepEqual(attrs(end.events, 'deal_expired'), [{ deal_id: String(r.dealId), owner: owner.address, epoch: String(r.fundedUntilEpoch), amount: `${refund}utru` }]);
    assert.equal((await chain.balance(owner.address)) - before, refund);
    const deal = (await queryDeal(chain, r.dealId)).deal;
    assert.deepEqual([deal.status, deal.escrow, deal.paid, deal.refunded], ['expired', 0n, paid, refund]);
    for (const p of who) assert.equal((await queryProvider(chain, p.address)).liveReplicas, 0);
    await fails(chain, who[0]!, [msgClaimBandwidth(who[0]!.address, r.dealId, 10, 1)], 'market', 9);
  });

  test('bandwidth claims pay bytes × price per GiB, are capped by the budget and cannot be replayed', async () => {
    await deliverTxs(chain, providers.slice(0, 4).map((p) => ({ account: p, msgs: [msgUpdateProvider(p.address, { bandwidthPrice: String(GIB) })] })));
    const { tx } = await ok(chain, owner, [msgCreateDeal(owner.address, { cid: content2.cid, size: content2.size, duration: 3, bandwidthBudget: '1000' })]);
    const r = pb.MsgCreateDealResponse.decode(firstResponse(tx).value);
    const [a, b] = r.providers.map(byAddress) as [TestAccount, TestAccount];
    const outsider = providers.slice(0, 4).find((p) => !r.providers.includes(p.address))!;
    const before = await chain.balance(a.address);
    const { tx: c1 } = await ok(chain, a, [msgClaimBandwidth(a.address, r.dealId, 400, 1)]);
    assert.deepEqual(pb.MsgClaimBandwidthResponse.decode(firstResponse(c1).value), pb.MsgClaimBandwidthResponse.create({ paid: '400', remaining: '600' }));
    assert.equal((await chain.balance(a.address)) - before, 400n);
    await fails(chain, a, [msgClaimBandwidth(a.address, r.dealId, 400, 1)], 'market', 21, /period 1 is not after/);
    await fails(chain, outsider, [msgClaimBandwidth(outsider.address, r.dealId, 400, 1)], 'market', 18);
    const { tx: c2 } = await ok(chain, b, [msgClaimBandwidth(b.address, r.dealId, 700, 1)]);
    assert.deepEqual(attrs(c2.events, 'bandwidth_claimed')[0], { deal_id: String(r.dealId), provider: b.address, bytes: '700', period: '1', owed: '700', remaining: '0', amount: '600utru', msg_index: '0' });
    assert.equal(attrs(c2.events, 'bandwidth_exhausted').length, 1);
    await fails(chain, a, [msgClaimBandwidth(a.address, r.dealId, 1, 2)], 'market', 22);
    const deal = (await queryDeal(chain, r.dealId)).deal;
    assert.deepEqual([deal.bandwidthBudget, deal.bandwidthUsed], [1000n, 1000n]);
  });
});

describe('market: every bad message has its code', () => {
  let chain: TestChain;
  let p: TestAccount[];
  before(async () => {
    chain = await newChain();
    p = providers.slice(0, 3);
    await deliverTxs(chain, p.map((x) => ({ account: x, msgs: [msgRegisterProvider(x.address, { price: '50' })] })));
  });
  after(() => chain.destroy());

  test('providers: duplicate (11), endpoint (14), collateral below minimum (15), capacity (23), bad amounts (16), unknown (12)', async () => {
    await fails(chain, p[0]!, [msgRegisterProvider(p[0]!.address)], 'market', 11, /already registered/);
    const q = providers[3]!;
    await fails(chain, q, [msgRegisterProvider(q.address, { endpoint: 'ftp://x' })], 'market', 14);
    await fails(chain, q, [msgRegisterProvider(q.address, { endpoint: 'not a url' })], 'market', 14);
    await fails(chain, q, [msgRegisterProvider(q.address, { collateral: '999999' })], 'market', 15, /below min_collateral 1000000/);
    await fails(chain, q, [msgRegisterProvider(q.address, { capacity: 0 })], 'market', 23);
    await fails(chain, q, [msgRegisterProvider(q.address, { price: '-1' })], 'market', 16);
    await fails(chain, q, [msgRegisterProvider(q.address, { collateral: '200000000' })], 'sdk', 5, /insufficient funds/);
    await fails(chain, q, [msgUpdateProvider(q.address, { price: '1' })], 'market', 12);
  });

  test('deals: bad CID (2), replicas < 3 (3), unknown profile (4), kind (5), size (6), insufficient funds (sdk 5), too few eligible providers (10)', async () => {
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: 'not-a-cid' })], 'market', 2, /cannot parse CID/);
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' })], 'market', 2, /codec 0x71/);
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid, replicas: 2 })], 'market', 3, /min_replicas is 3/);
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid, profile: 'unixfs-v0-2015' })], 'market', 4, /cidv1-256k-174, unixfs-v1-2025/);
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid, kind: 'video' })], 'market', 5, /site\|stream\|blob/);
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid, size: 0 })], 'market', 6);
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid, duration: 0 })], 'market', 6);
    await fails(chain, poor, [msgCreateDeal(poor.address, { cid: content.cid })], 'sdk', 5, /insufficient funds/);
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid, replicas: 4 })], 'market', 10, /needs 4 distinct providers.*3 eligible/);
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid, maxPrice: '49' })], 'market', 10, /0 eligible/);
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid, size: 11 * GIB })], 'market', 10);
  });

  test('deal messages: unknown deal (7), not owner (8); proofs: wrong epoch (17), invalid with the verifier\'s reason (19), twice (20), not a replica (18)', async () => {
    await fails(chain, owner, [msgTopUpDeal(owner.address, 42, '1')], 'market', 7, /deal 42 does not exist/);
    await fails(chain, owner, [msgExtendDeal(owner.address, 42, 1)], 'market', 7);
    const { tx } = await ok(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid, size: content.size, duration: 3 })]);
    const r = pb.MsgCreateDealResponse.decode(firstResponse(tx).value);
    await fails(chain, other, [msgTopUpDeal(other.address, r.dealId, '1')], 'market', 8);
    await fails(chain, p[0]!, [msgProveStorage(p[0]!.address, r.dealId, r.startEpoch - 1, [new Uint8Array([1])])], 'market', 17, /first challenged in epoch/);
    await advanceTo(chain, firstHeight(r.startEpoch));
    const ch = (await queryChallenges(chain, p[0]!.address)).challenges[0]!;
    const proof = await content.prove(ch.seed);
    const prover = p[0]!.address;
    // a proof for another seed: one that walks to a different leaf (with 3 leaves, many seeds share one)
    let wrong = proof;
    for (let i = 0; Buffer.compare(wrong.at(-1)!, proof.at(-1)!) === 0; i++) wrong = await content.prove(new Uint8Array(32).fill(i));
    // all in one block: an epoch is only 5 blocks long
    const block = await deliverTxs(chain, [
      { account: p[0]!, msgs: [msgProveStorage(prover, r.dealId, ch.epoch + 1, proof)] },
      { account: p[0]!, msgs: [msgProveStorage(prover, r.dealId, ch.epoch, wrong)] },
      { account: p[0]!, msgs: [msgProveStorage(prover, r.dealId, ch.epoch, await content2.prove(ch.seed))] },
      { account: p[0]!, msgs: [msgProveStorage(prover, 42, ch.epoch, proof)] },
      { account: providers[3]!, msgs: [msgProveStorage(providers[3]!.address, r.dealId, ch.epoch, proof)] },
    ]);
    const expected: [string, RegExp][] = [
      ['market/17', /proof for epoch \d+ in a block of epoch/],
      ['market/19', /: storage proof invalid$/],
      ['market/19', /storage proof invalid/],
      ['market/7', /deal 42 does not exist/],
      ['market/18', /holds no live replica/],
    ];
    for (const [i, [code, log]] of expected.entries()) {
      const t = block.txResults[i]!;
      assert.equal(`${t.codespace}/${t.code}`, code, t.log);
      assert.match(t.log, log);
    }
    assert.notEqual(block.txResults[1]!.log, 'storage proof invalid', "the verifier's reason is in the log");
    await ok(chain, p[0]!, [msgProveStorage(prover, r.dealId, ch.epoch, proof)]);
    await fails(chain, p[0]!, [msgProveStorage(p[0]!.address, r.dealId, ch.epoch, proof)], 'market', 20);
  });

  test('exit: no new assignments; collateral back at once without replicas, else when the last one ends (13 after)', async () => {
    const deal = (await queryDeal(chain, 1)).deal;
    const { tx } = await ok(chain, p[0]!, [msgExitProvider(p[0]!.address)]);
    assert.equal(pb.MsgExitProviderResponse.decode(firstResponse(tx).value).returned, '0');
    assert.equal((await queryProvider(chain, p[0]!.address)).status, 'exiting');
    await fails(chain, p[0]!, [msgExitProvider(p[0]!.address)], 'market', 13);
    await fails(chain, p[0]!, [msgUpdateProvider(p[0]!.address, { price: '1' })], 'market', 13);
    await fails(chain, owner, [msgCreateDeal(owner.address, { cid: content.cid })], 'market', 10, /2 eligible/);
    const before = await chain.balance(p[0]!.address);
    const { tx: cancel } = await ok(chain, owner, [msgCancelDeal(owner.address, deal.id)]);
    assert.deepEqual(attrs(cancel.events, 'provider_exited').map((e) => [e.provider, e.amount]), [[p[0]!.address, '10000000utru']]);
    assert.ok((await chain.balance(p[0]!.address)) - before >= 10_000_000n);
    assert.deepEqual([(await queryProvider(chain, p[0]!.address)).status, (await queryProvider(chain, p[0]!.address)).collateral], ['exited', 0n]);
    const q = providers[3]!;
    await ok(chain, q, [msgRegisterProvider(q.address)]);
    const { tx: exit } = await ok(chain, q, [msgExitProvider(q.address)]);
    assert.equal(pb.MsgExitProviderResponse.decode(firstResponse(exit).value).returned, '10000000');
    await ok(chain, q, [msgRegisterProvider(q.address)]);
    assert.equal((await queryProvider(chain, q.address)).status, 'active');
  });

  test('queries: unknown deal and provider are NotFound (22), a bad address is 7', async () => {
    const r = await chain.query('/trucom.market.v1.Query/Deal', pb.QueryDealRequest.encode({ id: 999 }).finish());
    assert.equal(r.code, 22);
    assert.match(r.log, /deal 999 not found/);
    assert.equal((await chain.query('/trucom.market.v1.Query/Provider', pb.QueryProviderRequest.encode({ address: owner.address }).finish())).code, 22);
    assert.equal((await chain.query('/trucom.market.v1.Query/Challenges', pb.QueryChallengesRequest.encode({ provider: 'x' }).finish())).code, 7);
    const params = pb.QueryParamsResponse.decode((await chain.query('/trucom.market.v1.Query/Params', new Uint8Array())).value).params!;
    assert.deepEqual([params.epochBlocks, params.minReplicas, params.maxMissedEpochs, params.missSlashFraction, params.allowedProfiles], [B, 3, 2, '0.100000000000000000', ['cidv1-256k-174', 'unixfs-v1-2025']]);
    const deals = pb.QueryDealsResponse.decode((await chain.query('/trucom.market.v1.Query/Deals', pb.QueryDealsRequest.encode({ owner: owner.address }).finish())).value);
    assert.deepEqual(deals.deals.map((d) => d.id), [1]);
  });
});
