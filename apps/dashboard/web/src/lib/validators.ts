import { fromBase64, toBech32, toHex } from '@cosmjs/encoding';
import { validatorAddress } from '@trucom/crypto';
import { rest } from './chain';
import type { AppConfig } from './config';

/** A validator as staking REST lists it. */
export interface ValidatorJson {
  operator_address: string;
  /** The Ed25519 consensus key, base64. */
  consensus_pubkey: { key: string };
  jailed: boolean;
  status: string;
  tokens: string;
  description: { moniker: string };
  commission: { commission_rates: { rate: string } };
}

export const stakingValidators = async (config: AppConfig) => (await rest<{ validators: ValidatorJson[] }>(config, '/cosmos/staking/v1beta1/validators')).validators;

type ConsensusPubkey = ValidatorJson['consensus_pubkey']['key'];

/** The `truvaloper`'s consensus address in `truvalcons…` form: what the slashing module keys its records by. */
export function consensusAddress(pubkey: ConsensusPubkey): string {
  return toBech32('truvalcons', validatorAddress(fromBase64(pubkey)));
}

/** The same address in upper-case hex: what blocks' commit signatures and the RPC validator set carry. */
export function consensusHex(pubkey: ConsensusPubkey): string {
  return toHex(validatorAddress(fromBase64(pubkey))).toUpperCase();
}
