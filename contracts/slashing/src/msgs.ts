import { MsgUnjail, MsgUnjailResponse } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { isValidAddress, VALOPER_PREFIX } from '@trucom/crypto';
import { ErrInvalidAddress, type MsgHandler } from '@trucom/chain';
import { operatorAccount } from '@trucom/staking';
import type { SlashingKeeper } from './keeper.js';

export function msgUnjailHandler(keeper: SlashingKeeper): MsgHandler<MsgUnjail> {
  return {
    typeUrl: '/cosmos.slashing.v1beta1.MsgUnjail',
    decode: (bytes) => MsgUnjail.decode(bytes),
    signers: (msg) => [operatorAccount(msg.validatorAddr)],
    validate(msg) {
      if (!isValidAddress(msg.validatorAddr, VALOPER_PREFIX)) throw ErrInvalidAddress(`invalid validator address ${JSON.stringify(msg.validatorAddr)}`);
    },
    execute(ctx, msg) {
      keeper.unjail(ctx, msg.validatorAddr);
      return { typeUrl: '/cosmos.slashing.v1beta1.MsgUnjailResponse', value: MsgUnjailResponse.encode({}).finish() };
    },
  };
}
