import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { isValidAddress } from '@trucom/crypto';
import { ErrInvalidAddress, ErrInvalidCoins, isValidDenom, type IterableKVStore, type QueryHandler, type WireCoin } from '@trucom/chain';
import type { BankKeeper } from './keeper.js';
import { balancesPrefix, SUPPLY_PREFIX } from './keys.js';

const text = new TextDecoder();

/** Every non-zero balance of an address, sorted by denom (keys end with the denom). */
export async function allBalances(store: IterableKVStore, address: string): Promise<WireCoin[]> {
  const prefix = balancesPrefix(address);
  const coins: WireCoin[] = [];
  for await (const [key, value] of store.iterate(prefix)) coins.push({ denom: key.slice(prefix.length), amount: text.decode(value) });
  return coins;
}

export async function totalSupply(store: IterableKVStore): Promise<WireCoin[]> {
  const coins: WireCoin[] = [];
  for await (const [key, value] of store.iterate(SUPPLY_PREFIX)) coins.push({ denom: key.slice(SUPPLY_PREFIX.length), amount: text.decode(value) });
  return coins;
}

function requireAddress(address: string): void {
  if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid address ${JSON.stringify(address)}`);
}

export function bankQueries(bank: BankKeeper): Record<string, QueryHandler> {
  return {
    '/cosmos.bank.v1beta1.Query/Balance': (ctx, data) => {
      const { address, denom } = QueryBalanceRequest.decode(data);
      requireAddress(address);
      if (!isValidDenom(denom)) throw ErrInvalidCoins(`invalid denom ${JSON.stringify(denom)}`);
      return QueryBalanceResponse.encode({ balance: { denom, amount: bank.balance(ctx.store, address, denom).toString() } }).finish();
    },
    '/cosmos.bank.v1beta1.Query/AllBalances': async (ctx, data) => {
      const { address } = QueryAllBalancesRequest.decode(data);
      requireAddress(address);
      const balances = await allBalances(ctx.store, address);
      return QueryAllBalancesResponse.encode({ balances, pagination: { nextKey: new Uint8Array(), total: BigInt(balances.length) } }).finish();
    },
    '/cosmos.bank.v1beta1.Query/TotalSupply': async (ctx) => {
      const supply = await totalSupply(ctx.store);
      return QueryTotalSupplyResponse.encode({ supply, pagination: { nextKey: new Uint8Array(), total: BigInt(supply.length) } }).finish();
    },
    '/cosmos.bank.v1beta1.Query/SupplyOf': (ctx, data) => {
      const { denom } = QuerySupplyOfRequest.decode(data);
      if (!isValidDenom(denom)) throw ErrInvalidCoins(`invalid denom ${JSON.stringify(denom)}`);
      return QuerySupplyOfResponse.encode({ amount: { denom, amount: bank.supply(ctx.store, denom).toString() } }).finish();
    },
  };
}
