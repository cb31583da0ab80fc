import { moduleAddress } from '@trucom/crypto';
import type { Invariant } from '@trucom/chain';
import type { BankKeeper } from '@trucom/bank';
import { decString, DELEGATION_PREFIX, delegationsOf, ONE, type StakingKeeper } from '@trucom/staking';
import { VAL_PREFIX } from './keys.js';
import { decodeValidatorDistribution, DISTRIBUTION_MODULE, type DistributionKeeper } from './keeper.js';

/** The module account holds at least every validator's outstanding rewards and commission plus the community pool. */
export function moduleAccountInvariant(keeper: DistributionKeeper, staking: StakingKeeper, bank: Pick<BankKeeper, 'balance'>): Invariant {
  return async (ctx) => {
    let owed = keeper.communityPool(ctx.store);
    for await (const [, value] of ctx.store.iterate(VAL_PREFIX)) {
      const d = decodeValidatorDistribution(value);
      if (d.outstanding < 0n || d.commission < 0n) return 'negative outstanding rewards or commission';
      owed += d.outstanding + d.commission;
    }
    const balance = bank.balance(ctx.store, moduleAddress(DISTRIBUTION_MODULE), staking.bondDenom(ctx.store)) * ONE;
    return balance < owed ? `module account holds ${decString(balance)}, owes ${decString(owed)}` : undefined;
  };
}

/** Every validator's delegations can withdraw their pending rewards: their sum never exceeds the outstanding rewards. */
export function canWithdrawInvariant(keeper: DistributionKeeper): Invariant {
  return async (ctx) => {
    const pending = new Map<string, bigint>();
    for (const d of await delegationsOf(ctx.store, DELEGATION_PREFIX)) {
      pending.set(d.validatorAddress, (pending.get(d.validatorAddress) ?? 0n) + keeper.pendingRewards(ctx.store, d.delegatorAddress, d.validatorAddress));
    }
    const problems: string[] = [];
    for (const [op, sum] of [...pending].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const outstanding = keeper.validatorDistribution(ctx.store, op).outstanding;
      if (sum > outstanding) problems.push(`${op}: pending rewards ${decString(sum)} exceed outstanding ${decString(outstanding)}`);
    }
    return problems.length ? problems.join('; ') : undefined;
  };
}
