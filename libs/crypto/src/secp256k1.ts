import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from './hash.js';

/**
 * Cosmos secp256k1 signatures: 64 bytes r||s over SHA-256 of the sign bytes, low-S only.
 *
 * Verification is the node's hottest path. It runs in libsecp256k1 (Bitcoin Core's library, through
 * the `secp256k1` package's prebuilt binding) at about 4x OpenSSL's rate; where that binding cannot
 * load, in OpenSSL (node:crypto), itself about 6x the pure-JS rate. The noble curve is used only for
 * key handling and signing, where speed does not matter. docs/adr/0002-signature-verification.md.
 */
interface NativeSecp256k1 {
  ecdsaVerify(signature: Uint8Array, message32: Uint8Array, publicKey: Uint8Array): boolean;
}

function loadNative(): NativeSecp256k1 | undefined {
  if (process.env.TRUCOM_SECP256K1 === 'openssl') return undefined;
  try {
    // The bindings entry only: the package's own fallback is a slow pure-JS curve.
    return createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp256k1;
  } catch {
    return undefined;
  }
}

const native = loadNative();

/** Which implementation verifies signatures in this process ("libsecp256k1" or "openssl"). */
export const secp256k1Backend: 'libsecp256k1' | 'openssl' = native ? 'libsecp256k1' : 'openssl';

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
    if (native) return native.ecdsaVerify(signature, sha256(message), pubkey);
    return verifyWithOpenSSL(pubkey, message, signature);
  } catch {
    return false;
  }
}

/** The OpenSSL path, also used on its own to compare the two backends. */
export function verifyWithOpenSSL(pubkey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return verify('sha256', message, { key: publicKeyObject(pubkey), dsaEncoding: 'ieee-p1363' }, signature);
}

export function secp256k1PublicKey(privkey: Uint8Array): Uint8Array {
  return secp256k1.getPublicKey(privkey, true);
}

/** Signs SHA-256(message) deterministically (RFC 6979), low-S, as 64 bytes r||s. */
export function signSecp256k1(privkey: Uint8Array, message: Uint8Array): Uint8Array {
  return secp256k1.sign(message, privkey, { prehash: true, lowS: true, format: 'compact' });
}
