import { Any } from 'cosmjs-types/google/protobuf/any';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { BondStatus, Validator as ValidatorProto, type Description } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import type { Timestamp } from '@trucom/chain';
import { decFromWire, decToWire } from './dec.js';
import { fromProtoTime, toProtoTime } from './time.js';

export { BondStatus };
export const ED25519_PUBKEY_TYPE = '/cosmos.crypto.ed25519.PubKey';

export interface Commission {
  /** Dec atomics. */
  readonly rate: bigint;
  readonly maxRate: bigint;
  readonly maxChangeRate: bigint;
  readonly updateTime: Timestamp;
}

/** A validator as the keeper works with it; stored as the SDK's Validator protobuf. */
export interface Validator {
  readonly operatorAddress: string;
  /** Ed25519, 32 bytes. */
  readonly consensusPubkey: Uint8Array;
  readonly jailed: boolean;
  readonly status: BondStatus;
  readonly tokens: bigint;
  /** Dec atomics. */
  readonly delegatorShares: bigint;
  readonly description: Description;
  readonly unbondingHeight: number;
  readonly unbondingTime: Timestamp;
  readonly commission: Commission;
  readonly minSelfDelegation: bigint;
}

export function ed25519PubkeyAny(key: Uint8Array): Any {
  return { typeUrl: ED25519_PUBKEY_TYPE, value: Ed25519PubKey.encode({ key }).finish() };
}

export function validatorToProto(v: Validator): ValidatorProto {
  return {
    operatorAddress: v.operatorAddress,
    consensusPubkey: ed25519PubkeyAny(v.consensusPubkey),
    jailed: v.jailed,
    status: v.status,
    tokens: v.tokens.toString(),
    delegatorShares: decToWire(v.delegatorShares),
    description: v.description,
    unbondingHeight: BigInt(v.unbondingHeight),
    unbondingTime: toProtoTime(v.unbondingTime),
    commission: {
      commissionRates: { rate: decToWire(v.commission.rate), maxRate: decToWire(v.commission.maxRate), maxChangeRate: decToWire(v.commission.maxChangeRate) },
      updateTime: toProtoTime(v.commission.updateTime),
    },
    minSelfDelegation: v.minSelfDelegation.toString(),
    unbondingOnHoldRefCount: 0n,
    unbondingIds: [],
  };
}

export function validatorFromProto(p: ValidatorProto): Validator {
  const rates = p.commission.commissionRates;
  return {
    operatorAddress: p.operatorAddress,
    consensusPubkey: Ed25519PubKey.decode(p.consensusPubkey!.value).key,
    jailed: p.jailed,
    status: p.status,
    tokens: BigInt(p.tokens),
    delegatorShares: decFromWire(p.delegatorShares),
    description: p.description,
    unbondingHeight: Number(p.unbondingHeight),
    unbondingTime: fromProtoTime(p.unbondingTime),
    commission: {
      rate: decFromWire(rates.rate),
      maxRate: decFromWire(rates.maxRate),
      maxChangeRate: decFromWire(rates.maxChangeRate),
      updateTime: fromProtoTime(p.commission.updateTime),
    },
    minSelfDelegation: BigInt(p.minSelfDelegation),
  };
}

export const encodeValidator = (v: Validator): Uint8Array => ValidatorProto.encode(validatorToProto(v)).finish();
export const decodeValidator = (b: Uint8Array): Validator => validatorFromProto(ValidatorProto.decode(b));

/** Validator tokens for a number of shares, truncated (Validator.TokensFromSharesTruncated). */
export function tokensFromShares(v: Validator, shares: bigint): bigint {
  return v.delegatorShares === 0n ? 0n : (shares * v.tokens) / v.delegatorShares;
}
