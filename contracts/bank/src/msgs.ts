import { MsgMultiSend, MsgMultiSendResponse, MsgSend, MsgSendResponse } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { isValidAddress } from '@trucom/crypto';
import { addCoins, coinsFromWire, coinsString, ErrInvalidAddress, ErrInvalidCoins, ErrInvalidRequest, type MsgHandler } from '@trucom/chain';
import type { BankKeeper } from './keeper.js';

function requireAddress(address: string, field: string): void {
  if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid ${field} address ${JSON.stringify(address)}`);
}

export function msgSendHandler(bank: BankKeeper): MsgHandler<MsgSend> {
  return {
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    decode: (bytes) => MsgSend.decode(bytes),
    signers: (msg) => [msg.fromAddress],
    validate(msg) {
      requireAddress(msg.fromAddress, 'from');
      requireAddress(msg.toAddress, 'to');
      coinsFromWire(msg.amount, { allowEmpty: false });
    },
    execute(ctx, msg) {
      bank.send(ctx, msg.fromAddress, msg.toAddress, coinsFromWire(msg.amount));
      return { typeUrl: '/cosmos.bank.v1beta1.MsgSendResponse', value: MsgSendResponse.encode({}).finish() };
    },
  };
}

/** MsgMultiSend as in SDK v0.50: exactly one input whose coins equal the sum of the outputs. */
export function msgMultiSendHandler(bank: BankKeeper): MsgHandler<MsgMultiSend> {
  return {
    typeUrl: '/cosmos.bank.v1beta1.MsgMultiSend',
    decode: (bytes) => MsgMultiSend.decode(bytes),
    signers: (msg) => msg.inputs.map((i) => i.address),
    validate(msg) {
      if (msg.inputs.length !== 1) throw ErrInvalidRequest(`multi-send needs exactly one input, got ${msg.inputs.length}`);
      if (msg.outputs.length === 0) throw ErrInvalidRequest('multi-send has no outputs');
      const input = msg.inputs[0]!;
      requireAddress(input.address, 'input');
      const inCoins = coinsFromWire(input.coins, { allowEmpty: false });
      let sum = coinsFromWire([]);
      for (const o of msg.outputs) {
        requireAddress(o.address, 'output');
        sum = addCoins(sum, coinsFromWire(o.coins, { allowEmpty: false }));
      }
      if (coinsString(sum) !== coinsString(inCoins)) throw ErrInvalidCoins(`sum inputs != sum outputs: ${coinsString(inCoins)} != ${coinsString(sum)}`);
    },
    execute(ctx, msg) {
      const input = msg.inputs[0]!;
      const outputs = msg.outputs.map((o) => ({ address: o.address, coins: coinsFromWire(o.coins) }));
      bank.multiSend(ctx, input.address, outputs, coinsFromWire(input.coins));
      return { typeUrl: '/cosmos.bank.v1beta1.MsgMultiSendResponse', value: MsgMultiSendResponse.encode({}).finish() };
    },
  };
}
