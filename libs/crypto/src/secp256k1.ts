import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';

/**
 * Cosmos secp256k1 signatures: 64 bytes r||s over SHA-256 of the sign bytes, low-S only.
 * Verification runs in OpenSSL (node:crypto), about 6x the pure-JS rate; the noble curve is used
 * only for key handling and signing, where speed does not matter.
 */

const CURVE_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = CURVE_N >> 1n;
// DER SubjectPublicKeyInfo prefix for an EC secp256k1 compressed point (33 bytes).
const SPKI_PREFIX = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');

const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 10_000;

function publicKeyObject(pubkey: Uint8Array): KeyObject {
  const id = Buffer.from(pubkey).toString('latin1');
  let key = keyCache.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pubkey]), format: 'der', type: 'spki' });
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, key);
  }
  return key;
}

export function isLowS(signature: Uint8Array): boolean {
  const s = BigInt('0x' + Buffer.from(signature.subarray(32, 64)).toString('hex'));
  return s > 0n && s <= HALF_N;
}

/** Verifies a Cosmos-style signature; false for any malformed key or signature, never throws. */
export function verifySecp256k1(pubkey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (pubkey.length !== 33 || (pubkey[0] !== 2 && pubkey[0] !== 3)) return false;
  if (signature.length !== 64 || !isLowS(signature)) return false;
  try {
    return verify('sha256', message, { key: publicKeyObject(pubkey), dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

export function secp256k1PublicKey(privkey: Uint8Array): Uint8Array {
  return secp256k1.getPublicKey(privkey, true);
}

/** Signs SHA-256(message) deterministically (RFC 6979), low-S, as 64 bytes r||s. */
export function signSecp256k1(privkey: Uint8Array, message: Uint8Array): Uint8Array {
  return secp256k1.sign(message, privkey, { prehash: true, lowS: true, format: 'compact' });
}
