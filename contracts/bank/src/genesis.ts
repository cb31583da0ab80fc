import { isValidAddress } from '@trucom/crypto';
import { coinsFromWire, type Context, type WireCoin } from '@trucom/chain';
import type { BankKeeper } from './keeper.js';

export interface BankGenesis {
  readonly balances: readonly { address: string; coins: readonly WireCoin[] }[];
}

export function validateBankGenesis(g: BankGenesis): void {
  const seen = new Set<string>();
  for (const b of g.balances) {
    if (!isValidAddress(b.address)) throw new Error(`bank genesis: invalid address ${b.address}`);
    if (seen.has(b.address)) throw new Error(`bank genesis: duplicate balance for ${b.address}`);
    seen.add(b.address);
    coinsFromWire(b.coins);
  }
}

/** Genesis balances are minted into their accounts, so the supply is their sum by construction. */
export function initBankGenesis(bank: BankKeeper, ctx: Context, g: BankGenesis = { balances: [] }): void {
  validateBankGenesis(g);
  for (const b of g.balances) bank.mintTo(ctx, b.address, coinsFromWire(b.coins));
}
