import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { KVStore, ReadonlyKVStore } from '@trucom/chain';
import { accountKey, NEXT_ACCOUNT_NUMBER, PARAMS } from './keys.js';
import { DEFAULT_AUTH_PARAMS, type AuthParams } from './params.js';

export const SECP256K1_PUBKEY_TYPE = '/cosmos.crypto.secp256k1.PubKey';
export const BASE_ACCOUNT_TYPE = '/cosmos.auth.v1beta1.BaseAccount';

export interface Account {
  readonly address: string;
  readonly publicKey?: Uint8Array; // compressed secp256k1, known after the first signed tx
  readonly accountNumber: bigint;
  readonly sequence: bigint;
}

export function encodeAccount(a: Account): Uint8Array {
  return BaseAccount.encode(
    BaseAccount.fromPartial({
      address: a.address,
      pubKey: a.publicKey ? { typeUrl: SECP256K1_PUBKEY_TYPE, value: PubKey.encode({ key: a.publicKey }).finish() } : undefined,
      accountNumber: a.accountNumber,
      sequence: a.sequence,
    }),
  ).finish();
}

export function decodeAccount(bytes: Uint8Array): Account {
  const b = BaseAccount.decode(bytes);
  return {
    address: b.address,
    publicKey: b.pubKey ? PubKey.decode(b.pubKey.value).key : undefined,
    accountNumber: b.accountNumber,
    sequence: b.sequence,
  };
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** Accounts: number (assigned once, in order of creation), sequence (replay protection), public key. */
export class AuthKeeper {
  getAccount(store: ReadonlyKVStore, address: string): Account | undefined {
    const v = store.get(accountKey(address));
    return v ? decodeAccount(v) : undefined;
  }

  setAccount(store: KVStore, account: Account): void {
    store.set(accountKey(account.address), encodeAccount(account));
  }

  /** Returns the account, creating it with the next account number if it does not exist yet. */
  ensureAccount(store: KVStore, address: string): Account {
    const existing = this.getAccount(store, address);
    if (existing) return existing;
    const raw = store.get(NEXT_ACCOUNT_NUMBER);
    const accountNumber = raw ? BigInt(text.decode(raw)) : 0n;
    store.set(NEXT_ACCOUNT_NUMBER, utf8.encode((accountNumber + 1n).toString()));
    const account: Account = { address, accountNumber, sequence: 0n };
    this.setAccount(store, account);
    return account;
  }

  params(store: ReadonlyKVStore): AuthParams {
    const v = store.get(PARAMS);
    return v ? (JSON.parse(text.decode(v)) as AuthParams) : DEFAULT_AUTH_PARAMS;
  }

  setParams(store: KVStore, params: AuthParams): void {
    store.set(PARAMS, utf8.encode(JSON.stringify(params)));
  }
}
