import type { Module } from '@trucom/chain';
import type { SitesKeeper } from './keeper.js';
import { sitesMsgHandlers } from './msgs.js';
import { sitesQueries } from './queries.js';

/** No genesis state and no block hooks: names are registered by transactions only. */
export function sitesModule(keeper: SitesKeeper): Module {
  return { name: 'sites', msgs: sitesMsgHandlers(keeper), queries: sitesQueries(keeper) };
}
