import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { ripemd160, sha256 } from './hash.js';
import { memoize } from './memo.js';

export const ACCOUNT_PREFIX = 'tru';
export const VALOPER_PREFIX = 'truvaloper';

/**
 * Length limit for decoding, as the Cosmos SDK's bech32.DecodeAndConvert (1023). It must be passed
 * explicitly: @cosmjs/encoding's default is Infinity, which @scure/base 2.x rejects, so every decode
 * with the default throws.
 */
const BECH32_DECODE_LIMIT = 1023;

const deriveAccountAddress = memoize((pubkeyAndPrefix) => {
  const [pubkey, prefix] = pubkeyAndPrefix.split(' ');
  return toBech32(prefix!, ripemd160(sha256(Buffer.from(pubkey!, 'hex'))));
});

/** Cosmos account address: bech32(prefix, RIPEMD160(SHA256(compressed pubkey))). */
export function accountAddress(secp256k1PublicKey: Uint8Array, prefix = ACCOUNT_PREFIX): string {
  return deriveAccountAddress(`${Buffer.from(secp256k1PublicKey).toString('hex')} ${prefix}`);
}

const deriveModuleAddress = memoize((nameAndPrefix) => {
  const [name, prefix] = nameAndPrefix.split(' ');
  return toBech32(prefix!, sha256(new TextEncoder().encode(name)).subarray(0, 20));
});

/** Module accounts have no key: their address is derived from the module name, as in the SDK. */
export function moduleAddress(name: string, prefix = ACCOUNT_PREFIX): string {
  return deriveModuleAddress(`${name} ${prefix}`);
}

/** Parses a bech32 address, checking its prefix; throws with a readable message otherwise. */
export function decodeAddress(address: string, prefix = ACCOUNT_PREFIX): Uint8Array {
  let decoded;
  try {
    decoded = fromBech32(address, BECH32_DECODE_LIMIT);
  } catch (err) {
    throw new Error(`invalid address ${JSON.stringify(address)}: ${(err as Error).message}`);
  }
  if (decoded.prefix !== prefix) throw new Error(`invalid address ${address}: expected prefix ${prefix}, got ${decoded.prefix}`);
  if (decoded.data.length !== 20 && decoded.data.length !== 32) throw new Error(`invalid address ${address}: bad length ${decoded.data.length}`);
  return decoded.data;
}

const validAccountAddress = memoize((address) => {
  try {
    decodeAddress(address, ACCOUNT_PREFIX);
    return true;
  } catch {
    return false;
  }
});

export function isValidAddress(address: string, prefix = ACCOUNT_PREFIX): boolean {
  if (prefix === ACCOUNT_PREFIX) return validAccountAddress(address);
  try {
    decodeAddress(address, prefix);
    return true;
  } catch {
    return false;
  }
}

export function reprefix(address: string, prefix: string): string {
  return toBech32(prefix, fromBech32(address, BECH32_DECODE_LIMIT).data);
}
