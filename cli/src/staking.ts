import type { EncodeObject } from '@cosmjs/proto-signing';
import type { Coin } from '@cosmjs/stargate';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { bondStatusToJSON, type Validator } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { fromBase64, isValidAddress, reprefix, toBase64, toUpperHex, validatorAddress, VALOPER_PREFIX } from '@trucom/crypto';

/** Decimals of the SDK's `LegacyDec`: on the protobuf wire a Dec is its integer atomics (value × 10^18). */
const DEC_DIGITS = 18;

/** `0.05` → `"50000000000000000"` (the wire form of MsgCreateValidator's commission rates); 0 ≤ value ≤ 1. */
export function decToAtomics(text: string, what: string): string {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(text.trim());
  if (!m) throw new Error(`${what}: expected a decimal between 0 and 1 with at most ${DEC_DIGITS} decimals, e.g. 0.05; got ${JSON.stringify(text)}`);
  const atomics = BigInt(m[1]!) * 10n ** 18n + BigInt((m[2] ?? '').padEnd(DEC_DIGITS, '0'));
  if (atomics > 10n ** 18n) throw new Error(`${what}: must be at most 1, got ${text}`);
  return atomics.toString();
}

/** `"50000000000000000"` → `"0.050000000000000000"` (as the SDK's REST shows a Dec). */
export function atomicsToDec(atomics: string): string {
  const digits = (atomics || '0').padStart(DEC_DIGITS + 1, '0');
  return `${digits.slice(0, -DEC_DIGITS)}.${digits.slice(-DEC_DIGITS)}`;
}

/**
 * A consensus public key as given to `--pubkey`: base64 of the 32-byte Ed25519 key (what
 * `trucom validator show` prints), or the SDK's JSON form `{"@type":"/cosmos.crypto.ed25519.PubKey","key":"…"}`.
 */
export function parseConsensusPubkey(text: string): Uint8Array {
  let b64 = text.trim();
  if (b64.startsWith('{')) {
    let parsed: { '@type'?: string; key?: string };
    try {
      parsed = JSON.parse(b64) as typeof parsed;
    } catch {
      throw new Error('--pubkey: not valid JSON');
    }
    if (parsed['@type'] !== undefined && parsed['@type'] !== '/cosmos.crypto.ed25519.PubKey') throw new Error(`--pubkey: only ed25519 consensus keys are supported, got ${parsed['@type']}`);
    b64 = parsed.key ?? '';
  }
  let key: Uint8Array;
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error('not base64');
    key = fromBase64(b64);
  } catch {
    throw new Error(`--pubkey: expected the base64 Ed25519 consensus key (trucom validator show prints it), got ${JSON.stringify(text)}`);
  }
  if (key.length !== 32) throw new Error(`--pubkey: an Ed25519 key is 32 bytes, got ${key.length}`);
  return key;
}

export function checkValoper(address: string): void {
  if (!isValidAddress(address, VALOPER_PREFIX)) throw new Error(`invalid validator address ${JSON.stringify(address)}: expected a ${VALOPER_PREFIX}1… operator address`);
}

/** The operator address of an account: the same 20 bytes with the `truvaloper` prefix. */
export const valoperOf = (account: string) => reprefix(account, VALOPER_PREFIX);

export interface CreateValidatorParams {
  readonly operatorAccount: string;
  readonly amount: Coin;
  readonly pubkey: Uint8Array;
  readonly moniker: string;
  readonly identity?: string;
  readonly website?: string;
  readonly details?: string;
  /** Decimals as typed (`0.05`). */
  readonly commissionRate: string;
  readonly commissionMaxRate: string;
  readonly commissionMaxChangeRate: string;
  readonly minSelfDelegation: string;
}

export function msgCreateValidator(p: CreateValidatorParams): EncodeObject {
  const rate = decToAtomics(p.commissionRate, '--commission-rate');
  const maxRate = decToAtomics(p.commissionMaxRate, '--commission-max-rate');
  const maxChangeRate = decToAtomics(p.commissionMaxChangeRate, '--commission-max-change-rate');
  if (BigInt(rate) > BigInt(maxRate)) throw new Error(`--commission-rate ${p.commissionRate} is above --commission-max-rate ${p.commissionMaxRate}`);
  if (BigInt(maxChangeRate) > BigInt(maxRate)) throw new Error(`--commission-max-change-rate ${p.commissionMaxChangeRate} is above --commission-max-rate ${p.commissionMaxRate}`);
  if (!/^\d+$/.test(p.minSelfDelegation) || BigInt(p.minSelfDelegation) <= 0n) throw new Error(`--min-self-delegation must be a positive integer, got ${JSON.stringify(p.minSelfDelegation)}`);
  if (BigInt(p.amount.amount) < BigInt(p.minSelfDelegation)) throw new Error(`--amount ${p.amount.amount}${p.amount.denom} is below --min-self-delegation ${p.minSelfDelegation}`);
  if (!p.moniker.trim()) throw new Error('--moniker must not be empty');
  return {
    typeUrl: '/cosmos.staking.v1beta1.MsgCreateValidator',
    value: {
      description: { moniker: p.moniker, identity: p.identity ?? '', website: p.website ?? '', securityContact: '', details: p.details ?? '' },
      commission: { rate, maxRate, maxChangeRate },
      minSelfDelegation: p.minSelfDelegation,
      delegatorAddress: p.operatorAccount,
      validatorAddress: valoperOf(p.operatorAccount),
      pubkey: { typeUrl: '/cosmos.crypto.ed25519.PubKey', value: Ed25519PubKey.encode({ key: p.pubkey }).finish() },
      value: p.amount,
    },
  };
}

export const msgDelegate = (delegatorAddress: string, validatorAddress: string, amount: Coin): EncodeObject => ({
  typeUrl: '/cosmos.staking.v1beta1.MsgDelegate',
  value: { delegatorAddress, validatorAddress, amount },
});

export const msgUndelegate = (delegatorAddress: string, validatorAddress: string, amount: Coin): EncodeObject => ({
  typeUrl: '/cosmos.staking.v1beta1.MsgUndelegate',
  value: { delegatorAddress, validatorAddress, amount },
});

export const msgWithdrawDelegatorReward = (delegatorAddress: string, validatorAddress: string): EncodeObject => ({
  typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward',
  value: { delegatorAddress, validatorAddress },
});

export const msgWithdrawValidatorCommission = (validatorAddress: string): EncodeObject => ({
  typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission',
  value: { validatorAddress },
});

/** A validator as `query staking validators` shows it (REST-like field names, decimals with the point). */
export interface ValidatorView {
  readonly operator_address: string;
  readonly moniker: string;
  readonly status: string;
  readonly jailed: boolean;
  readonly tokens: string;
  readonly delegator_shares: string;
  readonly commission_rate: string;
  readonly min_self_delegation: string;
  readonly consensus_pubkey: string;
  /** SHA-256(key)[:20] in upper-case hex: the address in /validators and in commits. */
  readonly consensus_address: string;
}

export function validatorView(v: Validator): ValidatorView {
  const key = v.consensusPubkey ? Ed25519PubKey.decode(v.consensusPubkey.value).key : new Uint8Array();
  return {
    operator_address: v.operatorAddress,
    moniker: v.description?.moniker ?? '',
    status: bondStatusToJSON(v.status),
    jailed: v.jailed,
    tokens: v.tokens,
    delegator_shares: atomicsToDec(v.delegatorShares),
    commission_rate: atomicsToDec(v.commission?.commissionRates?.rate ?? '0'),
    min_self_delegation: v.minSelfDelegation,
    consensus_pubkey: toBase64(key),
    consensus_address: key.length === 32 ? toUpperHex(validatorAddress(key)) : '',
  };
}
