import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryClient, setupStakingExtension, type StakingExtension } from '@cosmjs/stargate';
import { MsgUndelegateResponse, MsgBeginRedelegateResponse } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { BondStatus } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { moduleAddress, toBase64 } from '@trucom/crypto';
import { BONDED_POOL, NOT_BONDED_POOL } from '@trucom/staking';
import {
  attrs,
  consensusKey,
  expectFail,
  expectOk,
  inProcessComet,
  msgCreateValidator,
  msgDelegate,
  msgEditValidator,
  msgRedelegate,
  msgResponse,
  msgUndelegate,
  startStakingChain,
  testAccounts,
  valoper,
  TestChain,
  type TestAccount,
} from './testing.js';
import { DEFAULT_CONSENSUS_PARAMS, genesisValidatorsState, validateGenesis, type GenesisDoc } from './genesis.js';

const M = 1_000_000n; // one unit of voting power
let v0: TestAccount, v1: TestAccount, alice: TestAccount, bob: TestAccount, carol: TestAccount;

before(async () => {
  [v0, v1, alice, bob, carol] = await testAccounts(5, 200);
});

const keyHex = (u: { publicKey: Uint8Array }) => Buffer.from(u.publicKey).toString('hex');
const updates = (r: { validatorUpdates: readonly { publicKey: Uint8Array; power: number }[] }) => r.validatorUpdates.map((u) => [keyHex(u), u.power]);
const hexKey = (i: number) => Buffer.from(consensusKey(i)).toString('hex');

async function newChain(staking: Record<string, unknown> = {}): Promise<{ chain: TestChain; q: QueryClient & StakingExtension }> {
  const chain = await startStakingChain({
    validators: [
      { account: v0, selfBond: 10n * M },
      { account: v1, selfBond: 5n * M },
    ],
    balances: [
      { address: v0.address, coins: '100000000utru' },
      { address: v1.address, coins: '100000000utru' },
      { address: alice.address, coins: '100000000utru,5stake' },
      { address: bob.address, coins: '100000000utru' },
      { address: carol.address, coins: '100000000utru' },
    ],
    staking,
  });
  await chain.deliver([]);
  return { chain, q: QueryClient.withExtensions(inProcessComet(chain), setupStakingExtension) };
}

describe('staking genesis', () => {
  let chain: TestChain, q: QueryClient & StakingExtension;
  before(async () => ({ chain, q } = await newChain()));
  after(() => chain.destroy());

  test('genesis validators are bonded from height 1 with power = tokens / 10^6', async () => {
    const { validators } = await q.staking.validators('BOND_STATUS_BONDED');
    assert.deepEqual(
      validators.map((v) => [v.operatorAddress, v.status, v.tokens, v.delegatorShares, v.description.moniker]),
      [
        [valoper(v0), BondStatus.BOND_STATUS_BONDED, '10000000', (10n * M * 10n ** 18n).toString(), 'v0'],
        [valoper(v1), BondStatus.BOND_STATUS_BONDED, '5000000', (5n * M * 10n ** 18n).toString(), 'v1'],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    assert.equal((await q.staking.validators('BOND_STATUS_UNBONDED')).validators.length, 0);
    assert.deepEqual(chain.sets.get(1)!.map((v) => v.power).sort(), [10, 5].sort());
    const v = (await q.staking.validator(valoper(v0))).validator;
    assert.equal(v.consensusPubkey?.typeUrl, '/cosmos.crypto.ed25519.PubKey');
    assert.equal(v.commission.commissionRates.rate, '50000000000000000');
  });

  test('Pool, Params and self-delegations', async () => {
    assert.deepEqual((await q.staking.pool()).pool, { bondedTokens: '15000000', notBondedTokens: '0' });
    const p = (await q.staking.params()).params;
    assert.equal(p.bondDenom, 'utru');
    assert.equal(p.maxValidators, 10);
    assert.equal(p.maxEntries, 7);
    assert.equal(p.unbondingTime.seconds, 20n);
    const d = (await q.staking.delegation(v0.address, valoper(v0))).delegationResponse!;
    assert.deepEqual(d.balance, { denom: 'utru', amount: '10000000' });
    assert.equal(await chain.balance(moduleAddress(BONDED_POOL)), 15n * M);
  });

  test('no validator updates while nothing changes', async () => {
    for (let i = 0; i < 3; i++) assert.deepEqual((await chain.deliver([])).validatorUpdates, []);
  });

  test('unknown validator and delegation queries are NotFound (code 22)', async () => {
    await assert.rejects(q.staking.validator(valoper(alice)), /NotFound/);
    await assert.rejects(q.staking.delegation(alice.address, valoper(v0)), /key not found/);
  });
});

describe('MsgCreateValidator', () => {
  let chain: TestChain, q: QueryClient & StakingExtension;
  before(async () => ({ chain, q } = await newChain({ min_commission_rate: '0.01' })));
  after(() => chain.destroy());

  test('failures: pubkey type, denom, commission, minimum self delegation, funds, duplicates', async () => {
    await expectFail(chain, alice, [msgCreateValidator(alice, consensusKey(10), 2n * M, { pubkeyType: '/cosmos.crypto.secp256k1.PubKey' })], 'staking', 6);
    await expectFail(chain, alice, [msgCreateValidator(alice, consensusKey(10), 2n * M, { denom: 'stake' })], 'sdk', 18, /invalid coin denomination: got stake, expected utru/);
    await expectFail(chain, alice, [msgCreateValidator(alice, consensusKey(10), 2n * M, { rate: '0.3', maxRate: '0.2' })], 'staking', 11);
    await expectFail(chain, alice, [msgCreateValidator(alice, consensusKey(10), 2n * M, { maxRate: '1.5' })], 'staking', 10);
    await expectFail(chain, alice, [msgCreateValidator(alice, consensusKey(10), 2n * M, { maxChangeRate: '0.3', maxRate: '0.2' })], 'staking', 14);
    await expectFail(chain, alice, [msgCreateValidator(alice, consensusKey(10), 2n * M, { rate: '0.001' })], 'staking', 40);
    await expectFail(chain, alice, [msgCreateValidator(alice, consensusKey(10), 2n * M, { minSelfDelegation: '3000000' })], 'staking', 16);
    await expectFail(chain, alice, [msgCreateValidator(alice, consensusKey(10), 1_000_000_000n)], 'sdk', 5, /insufficient funds/);
    await expectFail(chain, v0, [msgCreateValidator(v0, consensusKey(10), 2n * M)], 'staking', 4);
    await expectFail(chain, alice, [msgCreateValidator(alice, consensusKey(0), 2n * M)], 'staking', 5);
    assert.equal((await q.staking.validators('')).validators.length, 2);
  });

  test('success: the self-delegation is bonded at the end of the block and consensus gets an update', async () => {
    const { tx, block } = await expectOk(chain, alice, [msgCreateValidator(alice, consensusKey(10), 2n * M)]);
    assert.deepEqual(attrs(tx.events, 'create_validator'), [{ validator: valoper(alice), amount: '2000000utru', msg_index: '0' }]);
    assert.equal(attrs(tx.events, 'message')[0]!.module, 'staking');
    assert.deepEqual(updates(block), [[hexKey(10), 2]]);
    const v = (await q.staking.validator(valoper(alice))).validator;
    assert.equal(v.status, BondStatus.BOND_STATUS_BONDED);
    assert.equal(v.tokens, '2000000');
    assert.equal(v.commission.commissionRates.rate, '100000000000000000');
    assert.equal(await chain.balance(moduleAddress(BONDED_POOL)), 17n * M);
    assert.deepEqual(updates(await chain.deliver([])), [], 'only on change');
    assert.equal(chain.sets.get(chain.height + 1)!.length, 3, 'in the consensus set two blocks later');
  });

  test('MsgEditValidator: description; commission only once per 24h; min self delegation only up', async () => {
    const { tx } = await expectOk(chain, alice, [msgEditValidator(alice, { moniker: 'renamed' })]);
    assert.equal(attrs(tx.events, 'edit_validator').length, 1);
    assert.equal((await q.staking.validator(valoper(alice))).validator.description.moniker, 'renamed');
    await expectFail(chain, alice, [msgEditValidator(alice, { commissionRate: '0.11' })], 'staking', 12);
    await expectFail(chain, alice, [msgEditValidator(alice, { minSelfDelegation: '1' })], 'staking', 17);
    await expectFail(chain, alice, [msgEditValidator(alice, { minSelfDelegation: '3000000' })], 'staking', 16);
    await expectOk(chain, alice, [msgEditValidator(alice, { minSelfDelegation: '1500000' })]);
    await expectFail(chain, bob, [msgEditValidator(bob, { moniker: 'x' })], 'staking', 3);
  });

  test('a self-undelegation below the minimum self delegation jails the validator: power 0 to consensus', async () => {
    const { block } = await expectOk(chain, alice, [msgUndelegate(alice.address, valoper(alice), 1n * M)]);
    assert.deepEqual(updates(block), [[hexKey(10), 0]]);
    const v = (await q.staking.validator(valoper(alice))).validator;
    assert.equal(v.jailed, true);
    assert.equal(v.status, BondStatus.BOND_STATUS_UNBONDING);
  });
});

describe('MsgDelegate / MsgUndelegate', () => {
  let chain: TestChain, q: QueryClient & StakingExtension;
  before(async () => ({ chain, q } = await newChain()));
  after(() => chain.destroy());

  test('failures: unknown validator, wrong denom, zero amount, insufficient funds', async () => {
    await expectFail(chain, alice, [msgDelegate(alice.address, valoper(carol), M)], 'staking', 3);
    await expectFail(chain, alice, [msgDelegate(alice.address, valoper(v0), 5, 'stake')], 'sdk', 18, /invalid coin denomination/);
    await expectFail(chain, alice, [msgDelegate(alice.address, valoper(v0), 0)], 'sdk', 18, /invalid delegation amount/);
    await expectFail(chain, alice, [msgDelegate(alice.address, valoper(v0), 1_000_000_000n)], 'sdk', 5, /insufficient funds/);
  });

  test('delegate: shares, events, pool, and a power update only when the power changes', async () => {
    const { tx, block } = await expectOk(chain, alice, [msgDelegate(alice.address, valoper(v1), 3n * M)]);
    assert.deepEqual(attrs(tx.events, 'delegate'), [{ validator: valoper(v1), delegator: alice.address, amount: '3000000utru', new_shares: '3000000.000000000000000000', msg_index: '0' }]);
    assert.deepEqual(updates(block), [[hexKey(1), 8]]);
    assert.equal(await chain.balance(alice.address), 97n * M);
    assert.equal(await chain.balance(moduleAddress(BONDED_POOL)), 18n * M);
    const small = await expectOk(chain, bob, [msgDelegate(bob.address, valoper(v1), 999_999)]);
    assert.deepEqual(updates(small.block), [], 'power 8 stays 8');
    const dd = await q.staking.delegatorDelegations(alice.address);
    assert.deepEqual(dd.delegationResponses.map((d) => [d.delegation.validatorAddress, d.balance.amount]), [[valoper(v1), '3000000']]);
    assert.equal((await q.staking.validatorDelegations(valoper(v1))).delegationResponses.length, 3);
  });

  test('undelegate failures: no delegation, more than delegated', async () => {
    await expectFail(chain, carol, [msgUndelegate(carol.address, valoper(v1), M)], 'staking', 19);
    await expectFail(chain, alice, [msgUndelegate(alice.address, valoper(v1), 4n * M)], 'staking', 22);
    await expectFail(chain, alice, [msgUndelegate(alice.address, valoper(carol), M)], 'staking', 3);
  });

  test('undelegate: completion time = block time + unbonding_time; paid at the first block at or after it', async () => {
    const { tx, block } = await expectOk(chain, alice, [msgUndelegate(alice.address, valoper(v1), M)]);
    const res = MsgUndelegateResponse.decode(msgResponse(tx).value);
    const time = chain.blockInfo(chain.height).time;
    assert.equal(res.completionTime.seconds, BigInt(time.seconds + 20));
    assert.deepEqual(res.amount, { denom: 'utru', amount: '1000000' });
    assert.equal(attrs(tx.events, 'unbond')[0]!.completion_time, new Date((time.seconds + 20) * 1000).toISOString().replace('.000', ''));
    assert.deepEqual(updates(block), [[hexKey(1), 7]]);
    assert.equal(await chain.balance(moduleAddress(NOT_BONDED_POOL)), M);
    const ubd = (await q.staking.unbondingDelegation(alice.address, valoper(v1))).unbond;
    assert.deepEqual(ubd.entries.map((e) => [e.balance, e.creationHeight]), [['1000000', BigInt(chain.height)]]);
    assert.equal((await q.staking.delegatorUnbondingDelegations(alice.address)).unbondingResponses.length, 1);
    const before = await chain.balance(alice.address);
    // blocks are 5 s apart: +5, +10, +15 are not yet mature, +20 is
    for (let i = 0; i < 3; i++) {
      const r = await chain.deliver([]);
      assert.equal(attrs(r.events, 'complete_unbonding').length, 0);
    }
    const done = await chain.deliver([]);
    assert.deepEqual(attrs(done.events, 'complete_unbonding'), [{ amount: '1000000utru', validator: valoper(v1), delegator: alice.address }]);
    assert.equal(await chain.balance(alice.address), before + M);
    assert.equal(await chain.balance(moduleAddress(NOT_BONDED_POOL)), 0n);
    await assert.rejects(q.staking.unbondingDelegation(alice.address, valoper(v1)), /NotFound/);
  });

  test('at most 7 unbonding entries per delegator and validator', async () => {
    // one tx, seven entries (entries mature after 20 s = 4 blocks, so they must be created together)
    await expectOk(chain, bob, Array.from({ length: 7 }, () => msgUndelegate(bob.address, valoper(v1), 100_000)));
    assert.equal((await q.staking.unbondingDelegation(bob.address, valoper(v1))).unbond.entries.length, 7);
    await expectFail(chain, bob, [msgUndelegate(bob.address, valoper(v1), 100_000)], 'staking', 27);
  });
});

describe('MsgBeginRedelegate', () => {
  let chain: TestChain, q: QueryClient & StakingExtension;
  before(async () => ({ chain, q } = await newChain({ max_entries: 2 })));
  after(() => chain.destroy());

  test('failures: to itself, unknown source or destination, no delegation', async () => {
    await expectOk(chain, alice, [msgDelegate(alice.address, valoper(v0), 4n * M)]);
    await expectFail(chain, alice, [msgRedelegate(alice.address, valoper(v0), valoper(v0), M)], 'staking', 29);
    await expectFail(chain, alice, [msgRedelegate(alice.address, valoper(v0), valoper(carol), M)], 'staking', 31);
    await expectFail(chain, alice, [msgRedelegate(alice.address, valoper(carol), valoper(v0), M)], 'staking', 44);
    await expectFail(chain, bob, [msgRedelegate(bob.address, valoper(v0), valoper(v1), M)], 'staking', 19);
  });

  test('success: tokens stay bonded, powers move, completion time in the response; then transitive and max entries', async () => {
    const { tx, block } = await expectOk(chain, alice, [msgRedelegate(alice.address, valoper(v0), valoper(v1), M)]);
    const res = MsgBeginRedelegateResponse.decode(msgResponse(tx).value);
    assert.equal(res.completionTime.seconds, BigInt(chain.blockInfo(chain.height).time.seconds + 20));
    assert.equal(attrs(tx.events, 'redelegate')[0]!.amount, '1000000utru');
    assert.deepEqual(updates(block).sort(), [[hexKey(0), 13], [hexKey(1), 6]].sort());
    assert.equal(await chain.balance(moduleAddress(BONDED_POOL)), 19n * M);
    assert.equal((await q.staking.redelegations(alice.address, valoper(v0), valoper(v1))).redelegationResponses[0]!.entries.length, 1);
    await expectFail(chain, alice, [msgRedelegate(alice.address, valoper(v1), valoper(v0), M)], 'staking', 32);
    await expectOk(chain, alice, [msgRedelegate(alice.address, valoper(v0), valoper(v1), M)]);
    await expectFail(chain, alice, [msgRedelegate(alice.address, valoper(v0), valoper(v1), M)], 'staking', 33);
    // once mature (20 s), both entries are gone and redelegating back is allowed
    for (let i = 0; i < 4; i++) await chain.deliver([]);
    assert.equal((await q.staking.redelegations(alice.address, '', '')).redelegationResponses.length, 0);
    await expectOk(chain, alice, [msgRedelegate(alice.address, valoper(v1), valoper(v0), M)]);
  });
});

describe('max_validators', () => {
  let chain: TestChain, q: QueryClient & StakingExtension;
  before(async () => ({ chain, q } = await newChain({ max_validators: 2 })));
  after(() => chain.destroy());

  test('a third validator waits unbonded; outgrowing a bonded one swaps them in one block', async () => {
    const created = await expectOk(chain, carol, [msgCreateValidator(carol, consensusKey(20), 2n * M)]);
    assert.deepEqual(updates(created.block), []);
    assert.equal((await q.staking.validator(valoper(carol))).validator.status, BondStatus.BOND_STATUS_UNBONDED);
    assert.equal(await chain.balance(moduleAddress(NOT_BONDED_POOL)), 2n * M);
    const { block } = await expectOk(chain, alice, [msgDelegate(alice.address, valoper(carol), 4n * M)]);
    assert.deepEqual(updates(block).sort(), [[hexKey(20), 6], [hexKey(1), 0]].sort());
    assert.equal((await q.staking.validator(valoper(v1))).validator.status, BondStatus.BOND_STATUS_UNBONDING);
    assert.equal(await chain.balance(moduleAddress(NOT_BONDED_POOL)), 5n * M);
    assert.equal(await chain.balance(moduleAddress(BONDED_POOL)), 16n * M);
    // the unbonding validator becomes unbonded after unbonding_time
    for (let i = 0; i < 4; i++) await chain.deliver([]);
    assert.equal((await q.staking.validator(valoper(v1))).validator.status, BondStatus.BOND_STATUS_UNBONDED);
    assert.equal(toBase64(consensusKey(20)).length, 44);
  });
});

describe('genesisValidatorsState and validateGenesis', () => {
  const doc = (validators: GenesisDoc['validators'], staking: GenesisDoc['app_state']['staking']): GenesisDoc => ({
    genesis_time: '2024-01-01T00:00:00Z',
    chain_id: 'trucom-test-1',
    initial_height: '1',
    consensus_params: DEFAULT_CONSENSUS_PARAMS,
    validators,
    app_hash: '',
    app_state: { auth: {}, bank: { balances: [] }, staking },
  });

  test('staking validators, self-delegations, bonded pool balance and the matching consensus validators', () => {
    const g = genesisValidatorsState([
      { operatorAccount: v0.address, consensusPubKey: consensusKey(0), selfBond: 10n * M, moniker: 'a' },
      { operatorAccount: v1.address, consensusPubKey: consensusKey(1), selfBond: 2_500_000n, moniker: 'b', commissionRate: '0.1' },
    ]);
    assert.deepEqual(g.staking.validators[1], { operator_address: valoper(v1), consensus_pubkey: toBase64(consensusKey(1)), tokens: '2500000', moniker: 'b', commission_rate: '0.1' });
    assert.deepEqual(g.staking.delegations[0], { delegator_address: v0.address, validator_address: valoper(v0), shares: '10000000' });
    assert.deepEqual(g.bondedPoolBalance, { address: moduleAddress(BONDED_POOL), coins: [{ denom: 'utru', amount: '12500000' }] });
    assert.deepEqual(g.validators.map((v) => [v.power, v.name, v.pub_key.value]), [['10', 'a', toBase64(consensusKey(0))], ['2', 'b', toBase64(consensusKey(1))]]);
    validateGenesis(doc(g.validators, g.staking));
    assert.throws(() => validateGenesis(doc([{ ...g.validators[0]!, power: '9' }, g.validators[1]!], g.staking)), /power 10/);
    assert.throws(() => validateGenesis(doc(g.validators.slice(0, 1), g.staking)), /genesis validators say nothing/);
    assert.throws(() => genesisValidatorsState([{ operatorAccount: v0.address, consensusPubKey: consensusKey(0), selfBond: 999_999n, moniker: 'a' }]), /below one unit of power/);
  });

  test('initChain refuses a bonded pool that does not hold the bonded tokens', async () => {
    const g = genesisValidatorsState([{ operatorAccount: v0.address, consensusPubKey: consensusKey(0), selfBond: 10n * M, moniker: 'a' }]);
    await assert.rejects(
      TestChain.start({ balances: [], appState: { staking: g.staking } }),
      /bonded_tokens_pool holds 0utru, bonded validators have 10000000/,
    );
  });
});
