import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { ChainNode } from '@trucom/chain';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { accountJson, lcdError, lcdQuery, pagination } from './lcd.js';

export const CHAIN_NODE = Symbol('CHAIN_NODE');

/** The Cosmos SDK REST (LCD) routes for auth and bank, in their JSON shapes. */
@Controller('cosmos')
export class LcdController {
  constructor(@Inject(CHAIN_NODE) private readonly node: ChainNode) {}

  @Get('bank/v1beta1/balances/:address')
  async balances(@Param('address') address: string) {
    const r = await lcdQuery(this.node, '/cosmos.bank.v1beta1.Query/AllBalances', QueryAllBalancesRequest.encode(QueryAllBalancesRequest.fromPartial({ address })).finish(), QueryAllBalancesResponse.decode);
    return { balances: r.balances, pagination: pagination(r.balances.length) };
  }

  @Get('bank/v1beta1/balances/:address/by_denom')
  async balance(@Param('address') address: string, @Query('denom') denom: string | undefined) {
    if (!denom) throw lcdError(400, 3, 'denom is required');
    const r = await lcdQuery(this.node, '/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode(QueryBalanceRequest.fromPartial({ address, denom })).finish(), QueryBalanceResponse.decode);
    return { balance: r.balance };
  }

  @Get('bank/v1beta1/supply')
  async supply() {
    const r = await lcdQuery(this.node, '/cosmos.bank.v1beta1.Query/TotalSupply', QueryTotalSupplyRequest.encode(QueryTotalSupplyRequest.fromPartial({})).finish(), QueryTotalSupplyResponse.decode);
    return { supply: r.supply, pagination: pagination(r.supply.length) };
  }

  @Get('bank/v1beta1/supply/by_denom')
  async supplyOf(@Query('denom') denom: string | undefined) {
    if (!denom) throw lcdError(400, 3, 'denom is required');
    const r = await lcdQuery(this.node, '/cosmos.bank.v1beta1.Query/SupplyOf', QuerySupplyOfRequest.encode(QuerySupplyOfRequest.fromPartial({ denom })).finish(), QuerySupplyOfResponse.decode);
    return { amount: r.amount };
  }

  @Get('auth/v1beta1/accounts/:address')
  async account(@Param('address') address: string) {
    const r = await lcdQuery(this.node, '/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode(QueryAccountRequest.fromPartial({ address })).finish(), QueryAccountResponse.decode);
    return { account: accountJson(r.account!) };
  }
}
