import type { Module } from '@trucom/chain';
import { beginBlock, endBlock } from './epochs.js';
import { initMarketGenesis, type MarketGenesis } from './genesis.js';
import { escrowInvariant, providersInvariant } from './invariants.js';
import type { MarketKeeper } from './keeper.js';
import { marketMsgHandlers } from './msgs.js';
import { marketQueries } from './queries.js';

export function marketModule(keeper: MarketKeeper): Module {
  return {
    name: 'market',
    msgs: marketMsgHandlers(keeper),
    queries: marketQueries(keeper),
    initGenesis: (ctx, state) => initMarketGenesis(keeper, ctx, state as MarketGenesis | undefined),
    beginBlock: (ctx) => beginBlock(keeper, ctx),
    endBlock: (ctx) => endBlock(keeper, ctx),
    invariants: { escrow: escrowInvariant(keeper), providers: providersInvariant(keeper) },
  };
}
