import { Bip39, sha256 } from '@cosmjs/crypto';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { ACCOUNT_PREFIX } from '@trucom/crypto';

/** A key held by an unmodified cosmjs wallet (DirectSecp256k1HdWallet, prefix "tru", Cosmos HD path). */
export interface TestAccount {
  readonly mnemonic: string;
  readonly wallet: DirectSecp256k1HdWallet;
  readonly address: string;
  /** Compressed secp256k1 public key (33 bytes). */
  readonly pubkey: Uint8Array;
}

const cache = new Map<number, Promise<TestAccount>>();

/** The mnemonic of test account `index`: fixed entropy, so every run uses the same keys. */
export function testMnemonic(index: number): string {
  const entropy = sha256(new TextEncoder().encode(`trucom test account ${index}`)).subarray(0, 16);
  return Bip39.encode(entropy).toString();
}

async function load(index: number): Promise<TestAccount> {
  const mnemonic = testMnemonic(index);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: ACCOUNT_PREFIX });
  const [account] = await wallet.getAccounts();
  return { mnemonic, wallet, address: account!.address, pubkey: account!.pubkey };
}

/** Test account `index` (derived once per process; key derivation is the slow part). */
export function testAccount(index: number): Promise<TestAccount> {
  let a = cache.get(index);
  if (!a) {
    a = load(index);
    cache.set(index, a);
  }
  return a;
}

export function testAccounts(count: number, from = 0): Promise<TestAccount[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => testAccount(from + i)));
}
