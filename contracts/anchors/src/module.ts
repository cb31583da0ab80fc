import type { Module } from '@trucom/chain';
import type { AnchorsKeeper } from './keeper.js';
import { anchorsMsgHandlers } from './msgs.js';
import { anchorsQueries } from './queries.js';

/** No genesis state and no block hooks: anchors are recorded by transactions only. */
export function anchorsModule(keeper: AnchorsKeeper): Module {
  return { name: 'anchors', msgs: anchorsMsgHandlers(keeper), queries: anchorsQueries(keeper) };
}
