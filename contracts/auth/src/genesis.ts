import type { Context } from '@trucom/chain';
import { isValidAddress } from '@trucom/crypto';
import type { AuthKeeper } from './keeper.js';
import { DEFAULT_AUTH_PARAMS, type AuthParams } from './params.js';

export interface AuthGenesis {
  readonly params?: Partial<AuthParams>;
  /** Accounts to create up front, in this order (numbers 0, 1, …); bank genesis creates the rest. */
  readonly accounts?: readonly { address: string }[];
}

export function validateAuthGenesis(g: AuthGenesis): void {
  for (const a of g.accounts ?? []) if (!isValidAddress(a.address)) throw new Error(`auth genesis: invalid address ${a.address}`);
  const p = { ...DEFAULT_AUTH_PARAMS, ...g.params };
  for (const [k, v] of Object.entries(p)) if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`auth genesis: param ${k} must be a positive integer`);
}

export function initAuthGenesis(auth: AuthKeeper, ctx: Context, g: AuthGenesis = {}): void {
  validateAuthGenesis(g);
  auth.setParams(ctx.store, { ...DEFAULT_AUTH_PARAMS, ...g.params });
  for (const a of g.accounts ?? []) auth.ensureAccount(ctx.store, a.address);
}
