import type { Module } from '@trucom/chain';
import type { BankKeeper } from '@trucom/bank';
import type { StakingKeeper } from '@trucom/staking';
import type { DistributionKeeper } from './keeper.js';
import { msgWithdrawDelegatorRewardHandler, msgWithdrawValidatorCommissionHandler } from './msgs.js';
import { distributionQueries } from './queries.js';
import { initDistributionGenesis } from './genesis.js';
import type { DistributionGenesis } from './params.js';
import { canWithdrawInvariant, moduleAccountInvariant } from './invariants.js';

export function distributionModule(keeper: DistributionKeeper, staking: StakingKeeper, bank: Pick<BankKeeper, 'balance'>): Module {
  return {
    name: 'distribution',
    msgs: [msgWithdrawDelegatorRewardHandler(keeper, staking), msgWithdrawValidatorCommissionHandler(keeper, staking)],
    queries: distributionQueries(keeper, staking),
    initGenesis: (ctx, state) => initDistributionGenesis(keeper, ctx, state as DistributionGenesis | undefined),
    beginBlock: (ctx, info) => keeper.allocate(ctx, info),
    invariants: { 'module-account': moduleAccountInvariant(keeper, staking, bank), 'can-withdraw': canWithdrawInvariant(keeper) },
  };
}
