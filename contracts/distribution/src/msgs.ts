import {
  MsgWithdrawDelegatorReward,
  MsgWithdrawDelegatorRewardResponse,
  MsgWithdrawValidatorCommission,
  MsgWithdrawValidatorCommissionResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/tx';
import { isValidAddress, VALOPER_PREFIX } from '@trucom/crypto';
import { ErrInvalidAddress, type MsgHandler } from '@trucom/chain';
import { operatorAccount, type StakingKeeper } from '@trucom/staking';
import { ErrEmptyDelegatorAddr, ErrEmptyValidatorAddr, ErrNoValidatorExists } from './errors.js';
import type { DistributionKeeper } from './keeper.js';

function requireValoper(address: string): void {
  if (!address) throw ErrEmptyValidatorAddr();
  if (!isValidAddress(address, VALOPER_PREFIX)) throw ErrInvalidAddress(`invalid validator address ${JSON.stringify(address)}`);
}

export function msgWithdrawDelegatorRewardHandler(keeper: DistributionKeeper, staking: StakingKeeper): MsgHandler<MsgWithdrawDelegatorReward> {
  return {
    typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward',
    decode: (bytes) => MsgWithdrawDelegatorReward.decode(bytes),
    signers: (msg) => [msg.delegatorAddress],
    validate(msg) {
      if (!msg.delegatorAddress) throw ErrEmptyDelegatorAddr();
      if (!isValidAddress(msg.delegatorAddress)) throw ErrInvalidAddress(`invalid delegator address ${JSON.stringify(msg.delegatorAddress)}`);
      requireValoper(msg.validatorAddress);
    },
    execute(ctx, msg) {
      if (!staking.getValidator(ctx.store, msg.validatorAddress)) throw ErrNoValidatorExists(msg.validatorAddress);
      const paid = keeper.withdrawDelegationRewards(ctx, msg.delegatorAddress, msg.validatorAddress);
      const amount = paid > 0n ? [{ denom: staking.bondDenom(ctx.store), amount: paid.toString() }] : [];
      return { typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorRewardResponse', value: MsgWithdrawDelegatorRewardResponse.encode({ amount }).finish() };
    },
  };
}

export function msgWithdrawValidatorCommissionHandler(keeper: DistributionKeeper, staking: StakingKeeper): MsgHandler<MsgWithdrawValidatorCommission> {
  return {
    typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission',
    decode: (bytes) => MsgWithdrawValidatorCommission.decode(bytes),
    signers: (msg) => [operatorAccount(msg.validatorAddress)],
    validate(msg) {
      requireValoper(msg.validatorAddress);
    },
    execute(ctx, msg) {
      if (!staking.getValidator(ctx.store, msg.validatorAddress)) throw ErrNoValidatorExists(msg.validatorAddress);
      const paid = keeper.withdrawValidatorCommission(ctx, msg.validatorAddress, operatorAccount(msg.validatorAddress));
      return {
        typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommissionResponse',
        value: MsgWithdrawValidatorCommissionResponse.encode({ amount: [{ denom: staking.bondDenom(ctx.store), amount: paid.toString() }] }).finish(),
      };
    },
  };
}
