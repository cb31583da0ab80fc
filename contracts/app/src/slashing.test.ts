import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryClient, setupSlashingExtension, setupStakingExtension, type StakingExtension } from '@cosmjs/stargate';
import { toBech32 } from '@cosmjs/encoding';
import { validatorAddress } from '@trucom/crypto';
import {
  attrs,
  consensusKey,
  expectFail,
  expectOk,
  inProcessComet,
  msgDelegate,
  msgUndelegate,
  msgUnjail,
  startStakingChain,
  testAccounts,
  valoper,
  type TestAccount,
  type TestChain,
} from './testing.js';

const M = 1_000_000n;
let v0: TestAccount, v1: TestAccount, alice: TestAccount;
const v1Cons = () => validatorAddress(consensusKey(1));
const v1ConsBech32 = () => toBech32('truvalcons', v1Cons());
const keyHex = (i: number) => Buffer.from(consensusKey(i)).toString('hex');
const updates = (r: { validatorUpdates: readonly { publicKey: Uint8Array; power: number }[] }) => r.validatorUpdates.map((u) => [Buffer.from(u.publicKey).toString('hex'), u.power]);

before(async () => {
  [v0, v1, alice] = await testAccounts(3, 400);
});

type Q = QueryClient & StakingExtension & ReturnType<typeof setupSlashingExtension>;

async function newChain(): Promise<{ chain: TestChain; q: Q }> {
  const chain = await startStakingChain({
    validators: [
      { account: v0, selfBond: 10n * M },
      { account: v1, selfBond: 5n * M },
    ],
    balances: [v0, v1, alice].map((a) => ({ address: a.address, coins: '100000000utru' })),
    slashing: { signed_blocks_window: 10, min_signed_per_window: '0.5', downtime_jail_duration: 30, slash_fraction_downtime: '0.01', slash_fraction_double_sign: '0.05' },
  });
  await chain.deliver([]);
  return { chain, q: QueryClient.withExtensions(inProcessComet(chain), setupStakingExtension, setupSlashingExtension) };
}

describe('downtime', () => {
  let chain: TestChain, q: Q;
  before(async () => ({ chain, q } = await newChain()));
  after(() => chain.destroy());

  test('missing more than window − min signed blocks after the first window jails and slashes 1%', async () => {
    const absent = { absent: [v1Cons()] };
    // signing info starts at height 2 (first last commit); jail needs height > 2 + 10 and missed > 5 (= 10 − round(10 × 0.5))
    for (let h = 2; h <= 12; h++) {
      const r = await chain.deliver([], absent);
      assert.deepEqual(attrs(r.events, 'liveness'), [{ address: v1ConsBech32(), missed_blocks: String(Math.min(h - 1, 10)), height: String(h) }]);
      assert.deepEqual(r.validatorUpdates, [], `not jailed at height ${h}`);
    }
    const info = (await q.slashing.signingInfo(v1ConsBech32())).valSigningInfo;
    assert.equal(info.missedBlocksCounter, 10n, 'the window wraps: at most 10 missed');
    assert.equal(info.startHeight, 2n);
    const jailed = await chain.deliver([], absent);
    assert.deepEqual(attrs(jailed.events, 'slash'), [{ address: v1ConsBech32(), power: '5', reason: 'missing_signature', jailed: v1ConsBech32(), burned_coins: '50000utru' }]);
    assert.deepEqual(updates(jailed), [[keyHex(1), 0]]);
    const v = (await q.staking.validator(valoper(v1))).validator;
    assert.equal(v.jailed, true);
    assert.equal(v.tokens, '4950000');
    const after = (await q.slashing.signingInfo(v1ConsBech32())).valSigningInfo;
    assert.equal(after.missedBlocksCounter, 0n);
    assert.equal(after.jailedUntil.seconds, BigInt(chain.blockInfo(chain.height).time.seconds + 30));
  });

  test('MsgUnjail: too early (4), then after downtime_jail_duration it rejoins; not jailed (5); not a validator (2)', async () => {
    await expectFail(chain, v1, [msgUnjail(valoper(v1))], 'slashing', 4, /jailed until/);
    for (let i = 0; i < 5; i++) await chain.deliver([]);
    const { block } = await expectOk(chain, v1, [msgUnjail(valoper(v1))]);
    assert.deepEqual(updates(block), [[keyHex(1), 4]]);
    assert.equal((await q.staking.validator(valoper(v1))).validator.jailed, false);
    await expectFail(chain, v1, [msgUnjail(valoper(v1))], 'slashing', 5);
    await expectFail(chain, alice, [msgUnjail(valoper(alice))], 'slashing', 2);
    assert.equal((await q.slashing.signingInfos()).info.length, 2);
    assert.equal((await q.slashing.params()).params.signedBlocksWindow, 10n);
  });
});

describe('double sign', () => {
  let chain: TestChain, q: Q;
  before(async () => ({ chain, q } = await newChain()));
  after(() => chain.destroy());

  test('slashes 5% of the stake at the infraction (unbonding entries started since first), jails and tombstones', async () => {
    await expectOk(chain, alice, [msgDelegate(alice.address, valoper(v1), 2n * M)]);
    await chain.deliver([]);
    await chain.deliver([]);
    const infraction = chain.height + 1;
    await expectOk(chain, alice, [msgUndelegate(alice.address, valoper(v1), M)]); // at the infraction height
    const supplyBefore = BigInt((await chain.totalSupply())[0]!.amount);
    const r = await chain.deliver([], { misbehavior: [{ kind: 'duplicate_vote', address: v1Cons(), height: infraction, power: 7, time: chain.blockInfo(infraction).time }] });
    // 5% of 7 000 000 = 350 000: 50 000 from the unbonding entry, 300 000 from the validator's tokens
    assert.deepEqual(attrs(r.events, 'slash'), [
      { address: v1ConsBech32(), power: '7', reason: 'double_sign', burned_coins: '350000utru' },
      { jailed: v1ConsBech32() },
    ]);
    assert.deepEqual(updates(r), [[keyHex(1), 0]]);
    assert.equal(BigInt((await chain.totalSupply())[0]!.amount), supplyBefore - 350_000n);
    assert.equal((await q.staking.validator(valoper(v1))).validator.tokens, '5700000');
    assert.equal((await q.staking.unbondingDelegation(alice.address, valoper(v1))).unbond.entries[0]!.balance, '950000');
    const info = (await q.slashing.signingInfo(v1ConsBech32())).valSigningInfo;
    assert.equal(info.tombstoned, true);
    assert.equal(info.jailedUntil.seconds, 253402300799n);
  });

  test('a second report of the same validator changes nothing; a tombstoned validator can never unjail', async () => {
    const tokens = (await q.staking.validator(valoper(v1))).validator.tokens;
    const r = await chain.deliver([], { misbehavior: [{ kind: 'duplicate_vote', address: v1Cons(), height: chain.height, power: 7, time: chain.blockInfo().time }] });
    assert.deepEqual(attrs(r.events, 'slash'), []);
    assert.equal((await q.staking.validator(valoper(v1))).validator.tokens, tokens);
    await expectFail(chain, v1, [msgUnjail(valoper(v1))], 'slashing', 4, /tombstoned/);
  });

  test('evidence about an unknown consensus address is ignored', async () => {
    const r = await chain.deliver([], { misbehavior: [{ kind: 'duplicate_vote', address: validatorAddress(consensusKey(99)), height: chain.height, power: 1, time: chain.blockInfo().time }] });
    assert.deepEqual(attrs(r.events, 'slash'), []);
  });
});
