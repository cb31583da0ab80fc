import {
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse,
  QueryParamsResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import type { DecCoin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { isValidAddress, VALOPER_PREFIX } from '@trucom/crypto';
import { ErrInvalidAddress, ErrKeyNotFound, type QueryHandler } from '@trucom/chain';
import { delegationsOf, delegationsOfPrefix, type StakingKeeper } from '@trucom/staking';
import type { DistributionKeeper } from './keeper.js';

/** DecCoins on the protobuf wire: the amount is the Dec's atomics integer. Zero is an empty list. */
const decCoins = (atomics: bigint, denom: string): DecCoin[] => (atomics === 0n ? [] : [{ denom, amount: atomics.toString() }]);

function requireAccount(address: string): void {
  if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid delegator address ${JSON.stringify(address)}`);
}
function requireValoper(address: string): void {
  if (!isValidAddress(address, VALOPER_PREFIX)) throw ErrInvalidAddress(`invalid validator address ${JSON.stringify(address)}`);
}

export function distributionQueries(keeper: DistributionKeeper, staking: StakingKeeper): Record<string, QueryHandler> {
  const mustValidator = (store: Parameters<StakingKeeper['getValidator']>[0], op: string) => {
    if (!staking.getValidator(store, op)) throw ErrKeyNotFound(`rpc error: code = NotFound desc = validator ${op} does not exist`);
  };
  return {
    '/cosmos.distribution.v1beta1.Query/Params': (ctx) => {
      const p = keeper.params(ctx.store);
      return QueryParamsResponse.encode({
        params: { communityTax: p.communityTax.toString(), baseProposerReward: '0', bonusProposerReward: '0', withdrawAddrEnabled: false },
      }).finish();
    },
    '/cosmos.distribution.v1beta1.Query/DelegationRewards': (ctx, data) => {
      const { delegatorAddress, validatorAddress } = QueryDelegationRewardsRequest.decode(data);
      requireAccount(delegatorAddress);
      requireValoper(validatorAddress);
      mustValidator(ctx.store, validatorAddress);
      if (staking.getDelegation(ctx.store, delegatorAddress, validatorAddress) === undefined) {
        throw ErrKeyNotFound(`rpc error: code = NotFound desc = delegation does not exist`);
      }
      const rewards = decCoins(keeper.pendingRewards(ctx.store, delegatorAddress, validatorAddress), staking.bondDenom(ctx.store));
      return QueryDelegationRewardsResponse.encode({ rewards }).finish();
    },
    '/cosmos.distribution.v1beta1.Query/DelegationTotalRewards': async (ctx, data) => {
      const { delegatorAddress } = QueryDelegationTotalRewardsRequest.decode(data);
      requireAccount(delegatorAddress);
      const denom = staking.bondDenom(ctx.store);
      let total = 0n;
      const rewards = (await delegationsOf(ctx.store, delegationsOfPrefix(delegatorAddress))).map((d) => {
        const r = keeper.pendingRewards(ctx.store, delegatorAddress, d.validatorAddress);
        total += r;
        return { validatorAddress: d.validatorAddress, reward: decCoins(r, denom) };
      });
      return QueryDelegationTotalRewardsResponse.encode({ rewards, total: decCoins(total, denom) }).finish();
    },
    '/cosmos.distribution.v1beta1.Query/DelegatorValidators': async (ctx, data) => {
      const { delegatorAddress } = QueryDelegatorValidatorsRequest.decode(data);
      requireAccount(delegatorAddress);
      const validators = (await delegationsOf(ctx.store, delegationsOfPrefix(delegatorAddress))).map((d) => d.validatorAddress);
      return QueryDelegatorValidatorsResponse.encode({ validators }).finish();
    },
    '/cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress': (_ctx, data) => {
      const { delegatorAddress } = QueryDelegatorWithdrawAddressRequest.decode(data);
      requireAccount(delegatorAddress);
      return QueryDelegatorWithdrawAddressResponse.encode({ withdrawAddress: delegatorAddress }).finish();
    },
    '/cosmos.distribution.v1beta1.Query/ValidatorCommission': (ctx, data) => {
      const { validatorAddress } = QueryValidatorCommissionRequest.decode(data);
      requireValoper(validatorAddress);
      mustValidator(ctx.store, validatorAddress);
      const commission = decCoins(keeper.validatorDistribution(ctx.store, validatorAddress).commission, staking.bondDenom(ctx.store));
      return QueryValidatorCommissionResponse.encode({ commission: { commission } }).finish();
    },
    '/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards': (ctx, data) => {
      const { validatorAddress } = QueryValidatorOutstandingRewardsRequest.decode(data);
      requireValoper(validatorAddress);
      mustValidator(ctx.store, validatorAddress);
      const d = keeper.validatorDistribution(ctx.store, validatorAddress);
      // The SDK's outstanding rewards include the commission not yet withdrawn.
      return QueryValidatorOutstandingRewardsResponse.encode({ rewards: { rewards: decCoins(d.outstanding + d.commission, staking.bondDenom(ctx.store)) } }).finish();
    },
    '/cosmos.distribution.v1beta1.Query/CommunityPool': (ctx) => {
      return QueryCommunityPoolResponse.encode({ pool: decCoins(keeper.communityPool(ctx.store), staking.bondDenom(ctx.store)) }).finish();
    },
  };
}
