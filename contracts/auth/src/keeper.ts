import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { KVStore, ReadonlyKVStore } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { accountKey, NEXT_ACCOUNT_NUMBER, PARAMS } from './keys.js';
import { DEFAULT_AUTH_PARAMS, type AuthParams } from './params.js';
import { utf8 } from '@trucom/crypto';

export const SECP256K1_PUBKEY_TYPE = '/cosmos.crypto.secp256k1.PubKey';
export const BASE_ACCOUNT_TYPE = '/cosmos.auth.v1beta1.BaseAccount';

export interface Account {
  readonly address: string;
  readonly publicKey?: Uint8Array; // compressed secp256k1, known after the first signed tx
  readonly accountNumber: bigint;
  readonly sequence: bigint;
}

const { StoredAccount } = trucom.auth.v1;

/**
 * Accounts by the stored bytes they were decoded from or encoded to. State values are never mutated
 * and stores hand back the very object that was written, so a tx's account, written by the ante
 * handler at admission and read again at recheck and in its block, is decoded at most once.
 */
const decodedAccounts = new WeakMap<Uint8Array, Account>();

/** State encoding: our own compact message, encoded with protobufjs (fast, pooled writer). */
export function encodeStoredAccount(a: Account): Uint8Array {
  const bytes = StoredAccount.encode({ address: a.address, secp256k1PubKey: a.publicKey, accountNumber: Number(a.accountNumber), sequence: Number(a.sequence) }).finish();
  decodedAccounts.set(bytes, a);
  return bytes;
}

export function decodeStoredAccount(bytes: Uint8Array): Account {
  const known = decodedAccounts.get(bytes);
  if (known) return known;
  const s = StoredAccount.decode(bytes);
  const account = { address: s.address, publicKey: s.secp256k1PubKey.length ? s.secp256k1PubKey : undefined, accountNumber: BigInt(s.accountNumber), sequence: BigInt(s.sequence) };
  decodedAccounts.set(bytes, account);
  return account;
}

/** Query encoding: the Cosmos SDK BaseAccount that wallets decode. */
export function encodeBaseAccount(a: Account): Uint8Array {
  return BaseAccount.encode(
    BaseAccount.fromPartial({
      address: a.address,
      pubKey: a.publicKey ? { typeUrl: SECP256K1_PUBKEY_TYPE, value: PubKey.encode({ key: a.publicKey }).finish() } : undefined,
      accountNumber: a.accountNumber,
      sequence: a.sequence,
    }),
  ).finish();
}


const text = new TextDecoder();

/** Accounts: number (assigned once, in order of creation), sequence (replay protection), public key. */
export class AuthKeeper {
  getAccount(store: ReadonlyKVStore, address: string): Account | undefined {
    const v = store.get(accountKey(address));
    return v ? decodeStoredAccount(v) : undefined;
  }

  setAccount(store: KVStore, account: Account): void {
    store.set(accountKey(account.address), encodeStoredAccount(account));
  }

  /** Creates the account with the next account number unless it exists. */
  ensureAccount(store: KVStore, address: string): void {
    if (store.has(accountKey(address))) return;
    const raw = store.get(NEXT_ACCOUNT_NUMBER);
    const accountNumber = raw ? BigInt(text.decode(raw)) : 0n;
    store.set(NEXT_ACCOUNT_NUMBER, utf8((accountNumber + 1n).toString()));
    this.setAccount(store, { address, accountNumber, sequence: 0n });
  }

  private lastParams: { raw: Uint8Array; params: AuthParams } | undefined;

  params(store: ReadonlyKVStore): AuthParams {
    const v = store.get(PARAMS);
    if (!v) return DEFAULT_AUTH_PARAMS;
    // Params are read by every tx and change rarely: parse only when the stored bytes change.
    if (!this.lastParams || Buffer.compare(this.lastParams.raw, v) !== 0) this.lastParams = { raw: v, params: JSON.parse(text.decode(v)) as AuthParams };
    return this.lastParams.params;
  }

  setParams(store: KVStore, params: AuthParams): void {
    store.set(PARAMS, utf8(JSON.stringify(params)));
  }
}
