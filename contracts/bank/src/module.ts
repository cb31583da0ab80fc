import type { Module } from '@trucom/chain';
import type { BankKeeper } from './keeper.js';
import { msgMultiSendHandler, msgSendHandler } from './msgs.js';
import { bankQueries } from './queries.js';
import { initBankGenesis, type BankGenesis } from './genesis.js';
import { totalSupplyInvariant } from './invariants.js';

export function bankModule(bank: BankKeeper): Module {
  return {
    name: 'bank',
    msgs: [msgSendHandler(bank), msgMultiSendHandler(bank)],
    queries: bankQueries(bank),
    initGenesis: (ctx, state) => initBankGenesis(bank, ctx, state as BankGenesis | undefined),
    invariants: { 'total-supply': totalSupplyInvariant },
  };
}
