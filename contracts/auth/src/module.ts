import type { Module } from '@trucom/chain';
import { AuthKeeper } from './keeper.js';
import { authQueries } from './queries.js';
import { initAuthGenesis, type AuthGenesis } from './genesis.js';

export function authModule(auth: AuthKeeper): Module {
  return {
    name: 'auth',
    queries: authQueries(auth),
    initGenesis: (ctx, state) => initAuthGenesis(auth, ctx, state as AuthGenesis | undefined),
  };
}
