import type { Module } from '@trucom/chain';
import type { SlashingKeeper } from './keeper.js';
import { msgUnjailHandler } from './msgs.js';
import { slashingQueries } from './queries.js';
import { initSlashingGenesis } from './genesis.js';
import type { SlashingGenesis } from './params.js';

export function slashingModule(keeper: SlashingKeeper): Module {
  return {
    name: 'slashing',
    msgs: [msgUnjailHandler(keeper)],
    queries: slashingQueries(keeper),
    initGenesis: (ctx, state) => initSlashingGenesis(keeper, ctx, state as SlashingGenesis | undefined),
    beginBlock: (ctx, info) => keeper.beginBlock(ctx, info),
  };
}
