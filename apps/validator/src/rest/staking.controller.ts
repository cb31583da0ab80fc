import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { ChainNode } from '@trucom/chain';
import {
  QueryDelegatorDelegationsRequest,
  QueryDelegatorDelegationsResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
} from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { QueryDelegationTotalRewardsRequest, QueryDelegationTotalRewardsResponse } from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import { bondStatusToJSON, type Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { CHAIN_NODE } from './lcd.controller.js';
import { lcdError, lcdQuery, pagination } from './lcd.js';

const BOND_STATUSES = ['BOND_STATUS_BONDED', 'BOND_STATUS_UNBONDING', 'BOND_STATUS_UNBONDED'];

/** SDK decimals travel as integers scaled by 10^18 in protobuf; REST shows them with the point. */
export function decJson(scaled: string): string {
  const digits = (scaled || '0').padStart(19, '0');
  return `${digits.slice(0, -18)}.${digits.slice(-18)}`;
}

function timeJson(t: { seconds: bigint; nanos: number } | undefined): string {
  return new Date(Number(t?.seconds ?? 0n) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6)).toISOString();
}

function validatorJson(v: Validator) {
  const key = v.consensusPubkey ? PubKey.decode(v.consensusPubkey.value).key : new Uint8Array();
  const rates = v.commission?.commissionRates;
  return {
    operator_address: v.operatorAddress,
    consensus_pubkey: { '@type': '/cosmos.crypto.ed25519.PubKey', key: Buffer.from(key).toString('base64') },
    jailed: v.jailed,
    status: bondStatusToJSON(v.status),
    tokens: v.tokens,
    delegator_shares: decJson(v.delegatorShares),
    description: {
      moniker: v.description?.moniker ?? '',
      identity: v.description?.identity ?? '',
      website: v.description?.website ?? '',
      security_contact: v.description?.securityContact ?? '',
      details: v.description?.details ?? '',
    },
    unbonding_height: String(v.unbondingHeight),
    unbonding_time: timeJson(v.unbondingTime),
    commission: {
      commission_rates: { rate: decJson(rates?.rate ?? '0'), max_rate: decJson(rates?.maxRate ?? '0'), max_change_rate: decJson(rates?.maxChangeRate ?? '0') },
      update_time: timeJson(v.commission?.updateTime),
    },
    min_self_delegation: v.minSelfDelegation,
  };
}

/** The Cosmos SDK REST routes for staking and distribution that wallets and explorers read. */
@Controller('cosmos')
export class StakingController {
  constructor(@Inject(CHAIN_NODE) private readonly node: ChainNode) {}

  @Get('staking/v1beta1/validators')
  async validators(@Query('status') status: string | undefined) {
    if (status && !BOND_STATUSES.includes(status)) throw lcdError(400, 3, `invalid validator status ${status}`);
    const r = await lcdQuery(this.node, '/cosmos.staking.v1beta1.Query/Validators', QueryValidatorsRequest.encode(QueryValidatorsRequest.fromPartial({ status: status ?? '' })).finish(), QueryValidatorsResponse.decode);
    return { validators: r.validators.map(validatorJson), pagination: pagination(r.validators.length) };
  }

  @Get('staking/v1beta1/validators/:validator')
  async validator(@Param('validator') validatorAddr: string) {
    const r = await lcdQuery(this.node, '/cosmos.staking.v1beta1.Query/Validator', QueryValidatorRequest.encode(QueryValidatorRequest.fromPartial({ validatorAddr })).finish(), QueryValidatorResponse.decode);
    return { validator: validatorJson(r.validator) };
  }

  @Get('staking/v1beta1/delegations/:delegator')
  async delegations(@Param('delegator') delegatorAddr: string) {
    const r = await lcdQuery(
      this.node,
      '/cosmos.staking.v1beta1.Query/DelegatorDelegations',
      QueryDelegatorDelegationsRequest.encode(QueryDelegatorDelegationsRequest.fromPartial({ delegatorAddr })).finish(),
      QueryDelegatorDelegationsResponse.decode,
    );
    return {
      delegation_responses: r.delegationResponses.map((d) => ({
        delegation: { delegator_address: d.delegation.delegatorAddress, validator_address: d.delegation.validatorAddress, shares: decJson(d.delegation.shares) },
        balance: d.balance,
      })),
      pagination: pagination(r.delegationResponses.length),
    };
  }

  @Get('distribution/v1beta1/delegators/:delegator/rewards')
  async rewards(@Param('delegator') delegatorAddress: string) {
    const r = await lcdQuery(
      this.node,
      '/cosmos.distribution.v1beta1.Query/DelegationTotalRewards',
      QueryDelegationTotalRewardsRequest.encode(QueryDelegationTotalRewardsRequest.fromPartial({ delegatorAddress })).finish(),
      QueryDelegationTotalRewardsResponse.decode,
    );
    const coins = (list: { denom: string; amount: string }[]) => list.map((c) => ({ denom: c.denom, amount: decJson(c.amount) }));
    return { rewards: r.rewards.map((x) => ({ validator_address: x.validatorAddress, reward: coins(x.reward) })), total: coins(r.total) };
  }
}
