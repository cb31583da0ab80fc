import { moduleAddress, utf8 } from '@trucom/crypto';
import type { BlockConsensusInfo, Context, KVStore, ReadonlyKVStore } from '@trucom/chain';
import type { BankKeeper } from '@trucom/bank';
import { FEE_COLLECTOR } from '@trucom/auth';
import { decString, ONE, type StakingHooks, type StakingKeeper } from '@trucom/staking';
import { ErrEmptyDelegationDistInfo, ErrNoValidatorCommission } from './errors.js';
import { COMMUNITY_POOL, delKey, PARAMS, valKey } from './keys.js';
import { DEFAULT_DISTRIBUTION_PARAMS, type DistributionParams } from './params.js';

export const DISTRIBUTION_MODULE = 'distribution';

/**
 * Scale of the reward-per-share accumulator: `ratio` is (Dec-atomic rewards × RATIO_SCALE) per
 * Dec-atomic share, so a delegation's reward is shares × Δratio / RATIO_SCALE (in Dec atomics).
 */
export const RATIO_SCALE = 10n ** 27n;

/** Per-validator distribution state; all amounts are Dec atomics of the bond denom. */
export interface ValidatorDistribution {
  /** Commission not yet withdrawn. */
  readonly commission: bigint;
  /** Cumulative delegator reward per share since the validator existed (× RATIO_SCALE). */
  readonly ratio: bigint;
  /** Delegator rewards allocated and not yet withdrawn (what the module account must still hold). */
  readonly outstanding: bigint;
}

const ZERO: ValidatorDistribution = { commission: 0n, ratio: 0n, outstanding: 0n };
const text = new TextDecoder();

export function decodeValidatorDistribution(b: Uint8Array): ValidatorDistribution {
  const j = JSON.parse(text.decode(b)) as Record<'commission' | 'ratio' | 'outstanding', string>;
  return { commission: BigInt(j.commission), ratio: BigInt(j.ratio), outstanding: BigInt(j.outstanding) };
}

/** A DecCoins string as the SDK prints it ("12.500000000000000000utru"), empty for zero. */
export const decCoinString = (atomics: bigint, denom: string) => (atomics === 0n ? '' : `${decString(atomics)}${denom}`);

/**
 * Block rewards and fees to validators and delegators (the SDK's x/distribution), with an O(1)
 * accumulator: per validator a cumulative reward-per-share, per delegation the value it had when
 * the delegation last changed. Rewards are settled (paid out) before every change of a
 * delegation's shares, so no operation ever loops over delegators. Slashing reduces tokens, not
 * shares, so rewards per share need no slash correction.
 */
export class DistributionKeeper {
  constructor(
    private readonly staking: StakingKeeper,
    private readonly bank: Pick<BankKeeper, 'mint' | 'send' | 'balance' | 'sendFromModuleToAccount'>,
  ) {}

  params(store: ReadonlyKVStore): DistributionParams {
    const v = store.get(PARAMS);
    if (!v) return DEFAULT_DISTRIBUTION_PARAMS;
    const j = JSON.parse(text.decode(v)) as Record<string, string>;
    return { blockProvision: BigInt(j.blockProvision!), communityTax: BigInt(j.communityTax!) };
  }

  setParams(store: KVStore, p: DistributionParams): void {
    store.set(PARAMS, utf8(JSON.stringify({ blockProvision: p.blockProvision.toString(), communityTax: p.communityTax.toString() })));
  }

  validatorDistribution(store: ReadonlyKVStore, operator: string): ValidatorDistribution {
    const v = store.get(valKey(operator));
    return v ? decodeValidatorDistribution(v) : ZERO;
  }

  private setValidatorDistribution(store: KVStore, operator: string, d: ValidatorDistribution): void {
    store.set(valKey(operator), utf8(JSON.stringify({ commission: d.commission.toString(), ratio: d.ratio.toString(), outstanding: d.outstanding.toString() })));
  }

  /** The accumulator value at the delegation's last change (0: since the validator's start). */
  private startRatio(store: ReadonlyKVStore, delegator: string, operator: string): bigint {
    const v = store.get(delKey(delegator, operator));
    return v ? BigInt(text.decode(v)) : 0n;
  }

  communityPool(store: ReadonlyKVStore): bigint {
    const v = store.get(COMMUNITY_POOL);
    return v ? BigInt(text.decode(v)) : 0n;
  }

  private addToCommunityPool(store: KVStore, atomics: bigint): void {
    if (atomics !== 0n) store.set(COMMUNITY_POOL, utf8((this.communityPool(store) + atomics).toString()));
  }

  /** Rewards a delegation has earned and not withdrawn, in Dec atomics. */
  pendingRewards(store: ReadonlyKVStore, delegator: string, operator: string): bigint {
    const shares = this.staking.getDelegation(store, delegator, operator);
    if (shares === undefined) return 0n;
    return (shares * (this.validatorDistribution(store, operator).ratio - this.startRatio(store, delegator, operator))) / RATIO_SCALE;
  }

  /**
   * Begin block: mints the block provision into fee_collector, moves fee_collector's bond-denom
   * balance to this module and splits it among the validators that signed the last block, by
   * power. Nothing happens (fees wait in fee_collector) while no known validator signed.
   */
  allocate(ctx: Context, info: BlockConsensusInfo): void {
    const signers = info.lastCommit
      .filter((v) => v.signed && v.power > 0)
      .map((vote) => ({ vote, validator: this.staking.validatorByConsAddr(ctx.store, vote.address) }))
      .filter((s) => s.validator !== undefined);
    if (signers.length === 0) return;
    const denom = this.staking.bondDenom(ctx.store);
    const params = this.params(ctx.store);
    if (params.blockProvision > 0n) {
      this.bank.mint(ctx, FEE_COLLECTOR, [{ denom, amount: params.blockProvision }]);
      ctx.events.emit('mint', { amount: `${params.blockProvision}${denom}` });
    }
    const collected = this.bank.balance(ctx.store, moduleAddress(FEE_COLLECTOR), denom);
    if (collected === 0n) return;
    this.bank.send(ctx, moduleAddress(FEE_COLLECTOR), moduleAddress(DISTRIBUTION_MODULE), [{ denom, amount: collected }]);
    const total = collected * ONE;
    const tax = (total * params.communityTax) / ONE;
    const toValidators = total - tax;
    const signedPower = signers.reduce((sum, s) => sum + BigInt(s.vote.power), 0n);
    let allocated = 0n;
    for (const { vote, validator } of signers) {
      const reward = (toValidators * BigInt(vote.power)) / signedPower;
      this.allocateToValidator(ctx, validator!.operatorAddress, validator!.commission.rate, validator!.delegatorShares, reward, denom);
      allocated += reward;
    }
    this.addToCommunityPool(ctx.store, total - allocated);
  }

  private allocateToValidator(ctx: Context, operator: string, rate: bigint, shares: bigint, reward: bigint, denom: string): void {
    const d = this.validatorDistribution(ctx.store, operator);
    let commission = (reward * rate) / ONE;
    let shared = reward - commission;
    if (shares === 0n) {
      commission += shared;
      shared = 0n;
    }
    this.setValidatorDistribution(ctx.store, operator, {
      commission: d.commission + commission,
      ratio: d.ratio + (shared * RATIO_SCALE) / (shares === 0n ? 1n : shares),
      outstanding: d.outstanding + shared,
    });
    ctx.events.emit('commission', { amount: decCoinString(commission, denom), validator: operator });
    ctx.events.emit('rewards', { amount: decCoinString(reward, denom), validator: operator });
  }

  /**
   * Pays a delegation's rewards (whole units; the fraction goes to the community pool, as in the
   * SDK) and restarts its accumulator. Called by MsgWithdrawDelegatorReward and before every change
   * of the delegation's shares.
   */
  withdrawDelegationRewards(ctx: Context, delegator: string, operator: string): bigint {
    const shares = this.staking.getDelegation(ctx.store, delegator, operator);
    if (shares === undefined) throw ErrEmptyDelegationDistInfo();
    const denom = this.staking.bondDenom(ctx.store);
    const d = this.validatorDistribution(ctx.store, operator);
    const reward = (shares * (d.ratio - this.startRatio(ctx.store, delegator, operator))) / RATIO_SCALE;
    const paid = reward / ONE;
    if (reward > 0n) {
      this.setValidatorDistribution(ctx.store, operator, { ...d, outstanding: d.outstanding - reward });
      this.addToCommunityPool(ctx.store, reward - paid * ONE);
    }
    ctx.store.set(delKey(delegator, operator), utf8(d.ratio.toString()));
    if (paid > 0n) this.bank.sendFromModuleToAccount(ctx, DISTRIBUTION_MODULE, delegator, [{ denom, amount: paid }]);
    ctx.events.emit('withdraw_rewards', { amount: `${paid}${denom}`, validator: operator, delegator });
    return paid;
  }

  /** Pays the whole units of a validator's commission to its operator account. */
  withdrawValidatorCommission(ctx: Context, operator: string, operatorAccount: string): bigint {
    const denom = this.staking.bondDenom(ctx.store);
    const d = this.validatorDistribution(ctx.store, operator);
    const paid = d.commission / ONE;
    if (paid === 0n) throw ErrNoValidatorCommission();
    this.setValidatorDistribution(ctx.store, operator, { ...d, commission: d.commission - paid * ONE });
    this.bank.sendFromModuleToAccount(ctx, DISTRIBUTION_MODULE, operatorAccount, [{ denom, amount: paid }]);
    ctx.events.emit('withdraw_commission', { amount: `${paid}${denom}` });
    return paid;
  }

  /** Staking hooks: settle before a delegation changes, restart its accumulator after. */
  hooks(): StakingHooks {
    return {
      beforeDelegationSharesModified: (ctx, delegator, operator) => {
        this.withdrawDelegationRewards(ctx, delegator, operator);
      },
      afterDelegationModified: (ctx, delegator, operator) => {
        if (this.staking.getDelegation(ctx.store, delegator, operator) === undefined) ctx.store.delete(delKey(delegator, operator));
        else ctx.store.set(delKey(delegator, operator), utf8(this.validatorDistribution(ctx.store, operator).ratio.toString()));
      },
    };
  }
}
