import { validatorAddress } from '@trucom/crypto';
import { validatorSetHash } from '../block/types.js';

/** A validator as consensus sees it: Ed25519 key, address derived from it, voting power. */
export interface ValidatorInfo {
  readonly address: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly votingPower: number;
  readonly name: string;
}

export function makeValidator(publicKey: Uint8Array, votingPower: number, name = ''): ValidatorInfo {
  return { address: validatorAddress(publicKey), publicKey, votingPower, name };
}

export function validatorsHash(validators: readonly ValidatorInfo[]): Uint8Array {
  return validatorSetHash(validators.map((v) => ({ pubKeyEd25519: v.publicKey, votingPower: v.votingPower })));
}

export function totalVotingPower(validators: readonly ValidatorInfo[]): number {
  return validators.reduce((sum, v) => sum + v.votingPower, 0);
}
