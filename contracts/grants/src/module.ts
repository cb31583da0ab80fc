import type { Module } from '@trucom/chain';
import { initGrantsGenesis, type GrantsGenesis } from './genesis.js';
import { contentKeysInvariant, grantsInvariant } from './invariants.js';
import type { GrantsKeeper } from './keeper.js';
import { grantsMsgHandlers } from './msgs.js';
import { grantsQueries } from './queries.js';

/** Begin block records the block's time while an expiring grant may still be active (queries judge expiry by it). */
export function grantsModule(keeper: GrantsKeeper): Module {
  return {
    name: 'grants',
    msgs: grantsMsgHandlers(keeper),
    queries: grantsQueries(keeper),
    initGenesis: (ctx, state) => initGrantsGenesis(keeper, ctx, state as GrantsGenesis | undefined),
    beginBlock: (ctx) => keeper.recordBlockTime(ctx),
    invariants: { content_keys: contentKeysInvariant(keeper), grants: grantsInvariant(keeper) },
  };
}
