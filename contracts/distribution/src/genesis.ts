import type { Context } from '@trucom/chain';
import type { DistributionKeeper } from './keeper.js';
import { distributionParamsFromGenesis, type DistributionGenesis } from './params.js';

/** Only params: rewards state starts empty (a missing record means zero), so genesis delegations start at ratio 0. */
export function initDistributionGenesis(keeper: DistributionKeeper, ctx: Context, g: DistributionGenesis = {}): void {
  keeper.setParams(ctx.store, distributionParamsFromGenesis(g.params));
}
