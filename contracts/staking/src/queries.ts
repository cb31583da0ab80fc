import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryDelegatorDelegationsRequest,
  QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorUnbondingDelegationsResponse,
  QueryDelegatorValidatorRequest,
  QueryDelegatorValidatorResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryParamsResponse,
  QueryPoolResponse,
  QueryRedelegationsRequest,
  QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest,
  QueryUnbondingDelegationResponse,
  QueryValidatorDelegationsRequest,
  QueryValidatorDelegationsResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
  QueryValidatorUnbondingDelegationsRequest,
  QueryValidatorUnbondingDelegationsResponse,
} from 'cosmjs-types/cosmos/staking/v1beta1/query';
import { bondStatusFromJSON, Delegation, Redelegation, UnbondingDelegation, type DelegationResponse } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { moduleAddress, isValidAddress, VALOPER_PREFIX } from '@trucom/crypto';
import { ErrInvalidAddress, ErrInvalidRequest, ErrKeyNotFound, type IterableKVStore, type QueryHandler } from '@trucom/chain';
import { decFromWire, decToWire } from './dec.js';
import type { StakingKeeper } from './keeper.js';
import { DELEGATION_BY_VAL_PREFIX, delegationsOfPrefix, RED_PREFIX, UBD_BY_VAL_PREFIX, ubdsOfPrefix, VALIDATOR_PREFIX } from './keys.js';
import { BONDED_POOL, NOT_BONDED_POOL } from './params.js';
import { BondStatus, decodeValidator, tokensFromShares, validatorToProto, type Validator } from './types.js';

const page = (n: number) => ({ nextKey: new Uint8Array(), total: BigInt(n) });
const notFound = (what: string) => ErrKeyNotFound(`rpc error: code = NotFound desc = ${what} not found`);

function requireAccount(address: string, field = 'delegator'): void {
  if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid ${field} address ${JSON.stringify(address)}`);
}
function requireValoper(address: string): void {
  if (!isValidAddress(address, VALOPER_PREFIX)) throw ErrInvalidAddress(`invalid validator address ${JSON.stringify(address)}`);
}

export async function allValidators(store: IterableKVStore): Promise<Validator[]> {
  const out: Validator[] = [];
  for await (const [, value] of store.iterate(VALIDATOR_PREFIX)) out.push(decodeValidator(value));
  return out;
}

/** Every delegation of the store, as [delegator, validator, shares]. */
export async function delegationsOf(store: IterableKVStore, prefix: string): Promise<Delegation[]> {
  const out: Delegation[] = [];
  for await (const [, value] of store.iterate(prefix)) out.push(Delegation.decode(value));
  return out;
}

export function stakingQueries(keeper: StakingKeeper): Record<string, QueryHandler> {
  const delegationResponse = (store: IterableKVStore, d: Delegation): DelegationResponse => {
    const v = keeper.getValidator(store, d.validatorAddress);
    const balance = v ? tokensFromShares(v, decFromWire(d.shares)) : 0n;
    return { delegation: d, balance: { denom: keeper.bondDenom(store), amount: balance.toString() } };
  };
  const mustValidator = (store: IterableKVStore, op: string) => {
    const v = keeper.getValidator(store, op);
    if (!v) throw notFound(`validator ${op}`);
    return v;
  };
  return {
    '/cosmos.staking.v1beta1.Query/Validators': async (ctx, data) => {
      const { status } = QueryValidatorsRequest.decode(data);
      let want: BondStatus | undefined;
      if (status) {
        want = bondStatusFromJSON(status);
        if (want === BondStatus.UNRECOGNIZED || want === BondStatus.BOND_STATUS_UNSPECIFIED) throw ErrInvalidRequest(`invalid validator status ${status}`);
      }
      const validators = (await allValidators(ctx.store)).filter((v) => want === undefined || v.status === want).map(validatorToProto);
      return QueryValidatorsResponse.encode({ validators, pagination: page(validators.length) }).finish();
    },
    '/cosmos.staking.v1beta1.Query/Validator': (ctx, data) => {
      const { validatorAddr } = QueryValidatorRequest.decode(data);
      requireValoper(validatorAddr);
      return QueryValidatorResponse.encode({ validator: validatorToProto(mustValidator(ctx.store, validatorAddr)) }).finish();
    },
    '/cosmos.staking.v1beta1.Query/ValidatorDelegations': async (ctx, data) => {
      const { validatorAddr } = QueryValidatorDelegationsRequest.decode(data);
      requireValoper(validatorAddr);
      const prefix = `${DELEGATION_BY_VAL_PREFIX}${validatorAddr}/`;
      const responses: DelegationResponse[] = [];
      for await (const [key] of ctx.store.iterate(prefix)) {
        const delegator = key.slice(prefix.length);
        const shares = keeper.getDelegation(ctx.store, delegator, validatorAddr);
        if (shares !== undefined) responses.push(delegationResponse(ctx.store, { delegatorAddress: delegator, validatorAddress: validatorAddr, shares: decToWire(shares) }));
      }
      return QueryValidatorDelegationsResponse.encode({ delegationResponses: responses, pagination: page(responses.length) }).finish();
    },
    '/cosmos.staking.v1beta1.Query/ValidatorUnbondingDelegations': async (ctx, data) => {
      const { validatorAddr } = QueryValidatorUnbondingDelegationsRequest.decode(data);
      requireValoper(validatorAddr);
      const prefix = `${UBD_BY_VAL_PREFIX}${validatorAddr}/`;
      const unbondingResponses: UnbondingDelegation[] = [];
      for await (const [key] of ctx.store.iterate(prefix)) {
        const ubd = keeper.getUnbonding(ctx.store, key.slice(prefix.length), validatorAddr);
        if (ubd) unbondingResponses.push(ubd);
      }
      return QueryValidatorUnbondingDelegationsResponse.encode({ unbondingResponses, pagination: page(unbondingResponses.length) }).finish();
    },
    '/cosmos.staking.v1beta1.Query/Delegation': (ctx, data) => {
      const { delegatorAddr, validatorAddr } = QueryDelegationRequest.decode(data);
      requireAccount(delegatorAddr);
      requireValoper(validatorAddr);
      const shares = keeper.getDelegation(ctx.store, delegatorAddr, validatorAddr);
      if (shares === undefined) throw notFound(`delegation with delegator ${delegatorAddr} not found for validator ${validatorAddr}; delegation`);
      return QueryDelegationResponse.encode({
        delegationResponse: delegationResponse(ctx.store, { delegatorAddress: delegatorAddr, validatorAddress: validatorAddr, shares: decToWire(shares) }),
      }).finish();
    },
    '/cosmos.staking.v1beta1.Query/UnbondingDelegation': (ctx, data) => {
      const { delegatorAddr, validatorAddr } = QueryUnbondingDelegationRequest.decode(data);
      requireAccount(delegatorAddr);
      requireValoper(validatorAddr);
      const ubd = keeper.getUnbonding(ctx.store, delegatorAddr, validatorAddr);
      if (!ubd) throw notFound(`unbonding delegation with delegator ${delegatorAddr} not found for validator ${validatorAddr}; unbonding delegation`);
      return QueryUnbondingDelegationResponse.encode({ unbond: ubd }).finish();
    },
    '/cosmos.staking.v1beta1.Query/DelegatorDelegations': async (ctx, data) => {
      const { delegatorAddr } = QueryDelegatorDelegationsRequest.decode(data);
      requireAccount(delegatorAddr);
      const responses = (await delegationsOf(ctx.store, delegationsOfPrefix(delegatorAddr))).map((d) => delegationResponse(ctx.store, d));
      return QueryDelegatorDelegationsResponse.encode({ delegationResponses: responses, pagination: page(responses.length) }).finish();
    },
    '/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations': async (ctx, data) => {
      const { delegatorAddr } = QueryDelegatorUnbondingDelegationsRequest.decode(data);
      requireAccount(delegatorAddr);
      const unbondingResponses: UnbondingDelegation[] = [];
      for await (const [, value] of ctx.store.iterate(ubdsOfPrefix(delegatorAddr))) unbondingResponses.push(UnbondingDelegation.decode(value));
      return QueryDelegatorUnbondingDelegationsResponse.encode({ unbondingResponses, pagination: page(unbondingResponses.length) }).finish();
    },
    '/cosmos.staking.v1beta1.Query/Redelegations': async (ctx, data) => {
      const { delegatorAddr, srcValidatorAddr, dstValidatorAddr } = QueryRedelegationsRequest.decode(data);
      if (delegatorAddr) requireAccount(delegatorAddr);
      const prefix = delegatorAddr ? `${RED_PREFIX}${delegatorAddr}/${srcValidatorAddr ? srcValidatorAddr + '/' : ''}` : RED_PREFIX;
      const redelegationResponses = [];
      for await (const [, value] of ctx.store.iterate(prefix)) {
        const red = Redelegation.decode(value);
        if (srcValidatorAddr && red.validatorSrcAddress !== srcValidatorAddr) continue;
        if (dstValidatorAddr && red.validatorDstAddress !== dstValidatorAddr) continue;
        redelegationResponses.push({ redelegation: red, entries: red.entries.map((e) => ({ redelegationEntry: e, balance: e.initialBalance })) });
      }
      return QueryRedelegationsResponse.encode({ redelegationResponses, pagination: page(redelegationResponses.length) }).finish();
    },
    '/cosmos.staking.v1beta1.Query/DelegatorValidators': async (ctx, data) => {
      const { delegatorAddr } = QueryDelegatorValidatorsRequest.decode(data);
      requireAccount(delegatorAddr);
      const validators = (await delegationsOf(ctx.store, delegationsOfPrefix(delegatorAddr))).map((d) => validatorToProto(mustValidator(ctx.store, d.validatorAddress)));
      return QueryDelegatorValidatorsResponse.encode({ validators, pagination: page(validators.length) }).finish();
    },
    '/cosmos.staking.v1beta1.Query/DelegatorValidator': (ctx, data) => {
      const { delegatorAddr, validatorAddr } = QueryDelegatorValidatorRequest.decode(data);
      requireAccount(delegatorAddr);
      requireValoper(validatorAddr);
      if (keeper.getDelegation(ctx.store, delegatorAddr, validatorAddr) === undefined) throw notFound(`delegation with delegator ${delegatorAddr} for validator ${validatorAddr}`);
      return QueryDelegatorValidatorResponse.encode({ validator: validatorToProto(mustValidator(ctx.store, validatorAddr)) }).finish();
    },
    '/cosmos.staking.v1beta1.Query/Pool': (ctx) => {
      return QueryPoolResponse.encode({
        pool: {
          notBondedTokens: keeper.poolBalance(ctx.store, NOT_BONDED_POOL).toString(),
          bondedTokens: keeper.poolBalance(ctx.store, BONDED_POOL).toString(),
        },
      }).finish();
    },
    '/cosmos.staking.v1beta1.Query/Params': (ctx) => {
      const p = keeper.params(ctx.store);
      return QueryParamsResponse.encode({
        params: {
          unbondingTime: { seconds: BigInt(p.unbondingTime), nanos: 0 },
          maxValidators: p.maxValidators,
          maxEntries: p.maxEntries,
          historicalEntries: 0,
          bondDenom: p.bondDenom,
          minCommissionRate: decToWire(p.minCommissionRate),
        },
      }).finish();
    },
  };
}

export const poolAddress = (pool: typeof BONDED_POOL | typeof NOT_BONDED_POOL) => moduleAddress(pool);
