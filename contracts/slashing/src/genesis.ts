import type { Context } from '@trucom/chain';
import type { SlashingKeeper } from './keeper.js';
import { slashingParamsFromGenesis, type SlashingGenesis } from './params.js';

/** Only params: signing infos are created when a validator first appears in a last commit. */
export function initSlashingGenesis(keeper: SlashingKeeper, ctx: Context, g: SlashingGenesis = {}): void {
  keeper.setParams(ctx.store, slashingParamsFromGenesis(g.params));
}
