import { Bip39, EnglishMnemonic, Random, Slip10, Slip10Curve, stringToPath } from '@cosmjs/crypto';
import { secp256k1PublicKey } from './secp256k1.js';
import { accountAddress } from './address.js';

/** Cosmos HD path for account keys (coin type 118), so Keplr and cosmjs wallets derive the same key. */
export const COSMOS_HD_PATH = "m/44'/118'/0'/0/0";

export interface AccountKey {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array; // compressed, 33 bytes
  readonly address: string;
}

export function generateMnemonic(words: 12 | 24 = 24): string {
  return Bip39.encode(Random.getBytes(words === 24 ? 32 : 16)).toString();
}

/** Validates the checksum and word list; throws a readable error for a mistyped phrase. */
export function normalizeMnemonic(mnemonic: string): string {
  const cleaned = mnemonic.trim().toLowerCase().split(/\s+/).join(' ');
  return new EnglishMnemonic(cleaned).toString();
}

export async function accountKeyFromMnemonic(mnemonic: string, hdPath = COSMOS_HD_PATH): Promise<AccountKey> {
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(normalizeMnemonic(mnemonic)));
  const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath(hdPath));
  const publicKey = secp256k1PublicKey(privkey);
  return { privateKey: privkey, publicKey, address: accountAddress(publicKey) };
}
