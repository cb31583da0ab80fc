import type { Module } from '@trucom/chain';
import type { BankKeeper } from '@trucom/bank';
import type { StakingKeeper } from './keeper.js';
import { msgBeginRedelegateHandler, msgCreateValidatorHandler, msgDelegateHandler, msgEditValidatorHandler, msgUndelegateHandler } from './msgs.js';
import { stakingQueries } from './queries.js';
import { initStakingGenesis, type StakingGenesis } from './genesis.js';
import { delegatorSharesInvariant, poolsInvariant } from './invariants.js';

export function stakingModule(keeper: StakingKeeper, bank: Pick<BankKeeper, 'balance'>): Module {
  return {
    name: 'staking',
    msgs: [msgCreateValidatorHandler(keeper), msgEditValidatorHandler(keeper), msgDelegateHandler(keeper), msgUndelegateHandler(keeper), msgBeginRedelegateHandler(keeper)],
    queries: stakingQueries(keeper),
    initGenesis: (ctx, state) => initStakingGenesis(keeper, bank, ctx, state as StakingGenesis | undefined),
    endBlock: (ctx) => keeper.endBlock(ctx),
    invariants: { 'module-accounts': poolsInvariant(keeper, bank), 'delegator-shares': delegatorSharesInvariant },
  };
}
