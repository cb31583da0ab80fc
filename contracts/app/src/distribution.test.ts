import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertIsDeliverTxSuccess, QueryClient, setupDistributionExtension, setupStakingExtension, SigningStargateClient, type DistributionExtension, type StakingExtension } from '@cosmjs/stargate';
import { MsgWithdrawDelegatorRewardResponse } from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { moduleAddress } from '@trucom/crypto';
import { FEE_COLLECTOR } from '@trucom/auth';
import { DISTRIBUTION_MODULE } from '@trucom/distribution';
import {
  attrs,
  consensusKey,
  expectFail,
  expectOk,
  inProcessComet,
  sendMsgs,
  msgDelegate,
  msgResponse,
  msgWithdrawCommission,
  msgWithdrawReward,
  startStakingChain,
  testAccounts,
  valoper,
  type TestAccount,
  type TestChain,
} from './testing.js';
import { validatorAddress } from '@trucom/crypto';

const M = 1_000_000n;
const E18 = 10n ** 18n;
let v0: TestAccount, v1: TestAccount, alice: TestAccount, bob: TestAccount, carol: TestAccount;

before(async () => {
  [v0, v1, alice, bob, carol] = await testAccounts(5, 300);
});

type Q = QueryClient & StakingExtension & DistributionExtension;

async function newChain(validators: { account: TestAccount; selfBond: bigint; commissionRate?: string }[], provision = M): Promise<{ chain: TestChain; q: Q }> {
  const chain = await startStakingChain({
    validators,
    balances: [v0, v1, alice, bob, carol].map((a) => ({ address: a.address, coins: '100000000utru' })),
    distribution: { block_provision: provision.toString() },
  });
  await chain.deliver([]); // height 1: no last commit, nothing is minted
  return { chain, q: QueryClient.withExtensions(inProcessComet(chain), setupStakingExtension, setupDistributionExtension) };
}

describe('rewards: one validator, 10% commission, delegators 1:3', () => {
  let chain: TestChain, q: Q;
  before(async () => {
    ({ chain, q } = await newChain([{ account: v0, selfBond: M, commissionRate: '0.1' }]));
  });
  after(() => chain.destroy());

  test('each block mints the provision and splits it: commission, then delegators pro rata to shares', async () => {
    const supply = (await chain.totalSupply())[0]!.amount;
    // height 2 pays for block 1 (only the self-delegation: 900 000 to v0, 100 000 commission)
    const { block } = await expectOk(chain, alice, [msgDelegate(alice.address, valoper(v0), M)]);
    assert.deepEqual(attrs(block.events, 'rewards'), [{ amount: '1000000.000000000000000000utru', validator: valoper(v0) }]);
    assert.deepEqual(attrs(block.events, 'commission'), [{ amount: '100000.000000000000000000utru', validator: valoper(v0) }]);
    assert.equal(BigInt((await chain.totalSupply())[0]!.amount), BigInt(supply) + M);
    await expectOk(chain, bob, [msgDelegate(bob.address, valoper(v0), 3n * M)]);
    // height 4 and 5: shares 1 (v0) : 1 (alice) : 3 (bob) of 5, bob joined at height 3 → bob earned blocks 4, 5
    await chain.deliver([]);
    await chain.deliver([]);
    const r = async (a: TestAccount) => (await q.distribution.delegationRewards(a.address, valoper(v0))).rewards;
    // alice: height 3 (shares 1 of 2 → 450 000) + heights 4, 5 (1 of 5 → 180 000 each)
    assert.deepEqual(await r(alice), [{ denom: 'utru', amount: ((450_000n + 2n * 180_000n) * E18).toString() }]);
    assert.deepEqual(await r(bob), [{ denom: 'utru', amount: (2n * 540_000n * E18).toString() }]);
    const commission = (await q.distribution.validatorCommission(valoper(v0))).commission!.commission;
    assert.deepEqual(commission, [{ denom: 'utru', amount: (4n * 100_000n * E18).toString() }]);
  });

  test('withdrawing in the same block pays exactly 1:3 of what both earned since bob joined', async () => {
    const aliceBefore = await chain.balance(alice.address);
    const bobBefore = await chain.balance(bob.address);
    const { tx: ta } = await expectOk(chain, alice, [msgWithdrawReward(alice.address, valoper(v0))]);
    assert.deepEqual(attrs(ta.events, 'withdraw_rewards'), [{ amount: '990000utru', validator: valoper(v0), delegator: alice.address, msg_index: '0' }]);
    assert.deepEqual(MsgWithdrawDelegatorRewardResponse.decode(msgResponse(ta).value).amount, [{ denom: 'utru', amount: '990000' }]);
    await expectOk(chain, bob, [msgWithdrawReward(bob.address, valoper(v0))]);
    const aliceGot = (await chain.balance(alice.address)) - aliceBefore;
    const bobGot = (await chain.balance(bob.address)) - bobBefore;
    assert.equal(aliceGot, 450_000n + 3n * 180_000n); // heights 3..6
    assert.equal(bobGot, 4n * 540_000n); // heights 4..7
    // from height 4 on, both were paid for the same blocks except bob's extra block 7: exactly 1:3
    assert.equal((bobGot - 540_000n) * 1n, (aliceGot - 450_000n) * 3n);
    assert.deepEqual((await q.distribution.delegationRewards(alice.address, valoper(v0))).rewards, [{ denom: 'utru', amount: (180_000n * E18).toString() }]);
  });

  test('a delegation change settles the rewards first (withdraw_rewards in the delegate tx)', async () => {
    const { tx } = await expectOk(chain, alice, [msgDelegate(alice.address, valoper(v0), M)]);
    assert.deepEqual(attrs(tx.events, 'withdraw_rewards')[0]!.amount, '360000utru');
    assert.deepEqual((await q.distribution.delegationRewards(alice.address, valoper(v0))).rewards, []);
  });

  test('MsgWithdrawValidatorCommission pays whole units to the operator account', async () => {
    const before = await chain.balance(v0.address);
    const { tx } = await expectOk(chain, v0, [msgWithdrawCommission(valoper(v0))]);
    const paid = BigInt(attrs(tx.events, 'withdraw_commission')[0]!.amount.replace('utru', ''));
    assert.equal(paid, BigInt(chain.height - 1) * 100_000n);
    assert.equal((await chain.balance(v0.address)) - before, paid);
    // v0 missed the last block: nothing new is allocated, so there is no commission left
    await expectFail(chain, v0, [msgWithdrawCommission(valoper(v0))], 'distribution', 7, undefined, { absent: [validatorAddress(consensusKey(0))] });
  });

  test('failures: unknown validator (12), no delegation (5)', async () => {
    await expectFail(chain, carol, [msgWithdrawReward(carol.address, valoper(carol))], 'distribution', 12);
    await expectFail(chain, carol, [msgWithdrawReward(carol.address, valoper(v0))], 'distribution', 5);
  });

  test('DelegationTotalRewards, Params, module account covers what it owes', async () => {
    const total = await q.distribution.delegationTotalRewards(bob.address);
    assert.equal(total.rewards.length, 1);
    assert.equal(total.rewards[0]!.validatorAddress, valoper(v0));
    assert.deepEqual(total.total, total.rewards[0]!.reward);
    assert.equal((await q.distribution.params()).params.communityTax, '0');
    assert.ok((await chain.balance(moduleAddress(DISTRIBUTION_MODULE))) > 0n);
  });
});

describe('rewards across validators', () => {
  let chain: TestChain, q: Q;
  before(async () => {
    ({ chain, q } = await newChain(
      [
        { account: v0, selfBond: 3n * M, commissionRate: '0' },
        { account: v1, selfBond: M, commissionRate: '0' },
      ],
      4n * M,
    ));
  });
  after(() => chain.destroy());

  test('split by the power of the signers; an absent validator gets nothing; fees are distributed too', async () => {
    await chain.deliver([]); // height 2: 3M to v0, 1M to v1
    assert.deepEqual((await q.distribution.delegationRewards(v0.address, valoper(v0))).rewards[0]!.amount, (3n * M * E18).toString());
    assert.deepEqual((await q.distribution.delegationRewards(v1.address, valoper(v1))).rewards[0]!.amount, (M * E18).toString());
    const r = await chain.deliver([], { absent: [validatorAddress(consensusKey(1))] }); // v1 missed block 2
    assert.deepEqual(attrs(r.events, 'rewards'), [{ amount: '4000000.000000000000000000utru', validator: valoper(v0) }]);
    assert.equal((await q.distribution.delegationRewards(v1.address, valoper(v1))).rewards[0]!.amount, (M * E18).toString());
    // a fee paid in block 4 waits in fee_collector and is distributed with the provision at height 5
    const { tx } = await sendMsgs(chain, alice, [msgDelegate(alice.address, valoper(v1), M)], { amount: [{ denom: 'utru', amount: '1000' }], gas: '400000' });
    assert.equal(tx.code, 0, tx.log);
    assert.equal(await chain.balance(moduleAddress(FEE_COLLECTOR)), 1000n);
    const next = await chain.deliver([]);
    assert.equal(await chain.balance(moduleAddress(FEE_COLLECTOR)), 0n);
    assert.deepEqual(
      attrs(next.events, 'rewards').map((a) => a.amount),
      ['3000750.000000000000000000utru', '1000250.000000000000000000utru'],
    );
  });
});

describe('cosmjs SigningStargateClient against the in-process app', () => {
  let chain: TestChain;
  let client: SigningStargateClient;
  before(async () => {
    ({ chain } = await newChain([{ account: v0, selfBond: M, commissionRate: '0.1' }]));
    client = await SigningStargateClient.createWithSigner(inProcessComet(chain), carol.wallet, { broadcastPollIntervalMs: 1 });
  });
  after(() => chain.destroy());

  const fee = { amount: [{ denom: 'utru', amount: '5000' }], gas: '400000' };

  test('delegateTokens, getDelegation, staking query extension, withdrawRewards, undelegateTokens — unmodified', async () => {
    const d = await client.delegateTokens(carol.address, valoper(v0), { denom: 'utru', amount: '2000000' }, fee);
    assertIsDeliverTxSuccess(d);
    assert.equal(d.msgResponses[0]!.typeUrl, '/cosmos.staking.v1beta1.MsgDelegateResponse');
    assert.deepEqual(await client.getDelegation(carol.address, valoper(v0)), { denom: 'utru', amount: '2000000' });
    assert.equal(await client.getDelegation(alice.address, valoper(v0)), null);
    assert.deepEqual(await client.getBalanceStaked(carol.address), { denom: 'utru', amount: '2000000' });
    await chain.deliver([]);
    const q = QueryClient.withExtensions(inProcessComet(chain), setupStakingExtension, setupDistributionExtension);
    assert.equal((await q.staking.validators('BOND_STATUS_BONDED')).validators[0]!.tokens, '3000000');
    const pending = BigInt((await q.distribution.delegationRewards(carol.address, valoper(v0))).rewards[0]!.amount) / E18;
    assert.ok(pending > 0n);
    const w = await client.withdrawRewards(carol.address, valoper(v0), fee);
    assertIsDeliverTxSuccess(w);
    const withdrawn = w.events.find((e) => e.type === 'withdraw_rewards')!.attributes.find((a) => a.key === 'amount')!.value;
    assert.match(withdrawn, /^[0-9]+utru$/);
    assert.ok(BigInt(withdrawn.replace('utru', '')) >= pending);
    const u = await client.undelegateTokens(carol.address, valoper(v0), { denom: 'utru', amount: '500000' }, fee);
    assertIsDeliverTxSuccess(u);
    assert.equal(u.msgResponses[0]!.typeUrl, '/cosmos.staking.v1beta1.MsgUndelegateResponse');
    assert.deepEqual(await client.getDelegation(carol.address, valoper(v0)), { denom: 'utru', amount: '1500000' });
    const ubd = await q.staking.unbondingDelegation(carol.address, valoper(v0));
    assert.equal(ubd.unbond.entries[0]!.balance, '500000');
  });
});
