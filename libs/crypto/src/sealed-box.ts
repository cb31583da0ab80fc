import { randomBytes } from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519.js';
import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

/**
 * libsodium's sealed boxes (`crypto_box_seal` / `crypto_box_seal_open`): anonymous public-key
 * encryption to an X25519 key. A fresh ephemeral keypair per box; nonce = BLAKE2b-24(epk ‖ pk); the
 * body is `crypto_box` (X25519 → HSalsa20 → XSalsa20-Poly1305). Layout: epk (32) ‖ MAC (16) ‖ ciphertext.
 * Content keys are sealed this way to the key-holder gateways (contracts/grants).
 */
export interface X25519Key {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** Bytes a sealed box adds to its message: the ephemeral public key and the Poly1305 tag. */
export const SEALED_BOX_OVERHEAD = 48;
export const X25519_KEY_BYTES = 32;

/** HKDF info of the key-holder key (versioned: a new derivation gets a new label). */
export const KEY_HOLDER_INFO = 'trucom/key-holder/x25519/v1';

export function generateX25519Key(secretKey: Uint8Array = randomBytes(32)): X25519Key {
  if (secretKey.length !== X25519_KEY_BYTES) throw new Error(`an X25519 secret key is ${X25519_KEY_BYTES} bytes, got ${secretKey.length}`);
  return { secretKey: new Uint8Array(secretKey), publicKey: x25519.getPublicKey(secretKey) };
}

/**
 * The X25519 keypair a key-holder gateway uses, derived from its storage-provider account key
 * (secp256k1 private key): HKDF-SHA256(ikm = key, no salt, info = "trucom/key-holder/x25519/v1", 32).
 * Deterministic, so a gateway restored from its mnemonic opens the keys sealed to it before.
 */
export function keyHolderKey(secp256k1PrivateKey: Uint8Array): X25519Key {
  if (secp256k1PrivateKey.length !== 32) throw new Error(`a secp256k1 private key is 32 bytes, got ${secp256k1PrivateKey.length}`);
  return generateX25519Key(hkdf(sha256, secp256k1PrivateKey, undefined, new TextEncoder().encode(KEY_HOLDER_INFO), 32));
}

/** 32 bytes and not a low-order point (one that makes every shared secret zero, as libsodium refuses). */
export function isValidX25519PublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== X25519_KEY_BYTES) return false;
  try {
    x25519.getSharedSecret(PROBE_SCALAR, publicKey);
    return true;
  } catch {
    return false;
  }
}
const PROBE_SCALAR = new Uint8Array(32).fill(7);

/** Little-endian 32-bit words of `b` (the byte order HSalsa20 reads). */
function words(b: Uint8Array): Uint32Array {
  const copy = new Uint8Array(b);
  return new Uint32Array(copy.buffer, 0, copy.length / 4);
}
const SIGMA = words(new TextEncoder().encode('expand 32-byte k'));

/** `crypto_box_beforenm`: HSalsa20(X25519(sk, pk), 0^16). Throws on a low-order public key. */
function boxKey(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const shared = x25519.getSharedSecret(secretKey, publicKey);
  const out = new Uint32Array(8);
  hsalsa(SIGMA, words(shared), new Uint32Array(4), out);
  shared.fill(0);
  return new Uint8Array(out.buffer);
}

const sealNonce = (ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array => {
  const input = new Uint8Array(64);
  input.set(ephemeralPublicKey, 0);
  input.set(recipientPublicKey, 32);
  return blake2b(input, { dkLen: 24 });
};

/** `crypto_box_seal(message, recipient pk)`: epk ‖ crypto_box(message, nonce, pk, esk). */
export function cryptoBoxSeal(message: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  if (!isValidX25519PublicKey(recipientPublicKey)) throw new Error('sealed box: the recipient public key is not a valid X25519 key');
  const ephemeral = generateX25519Key();
  const key = boxKey(ephemeral.secretKey, recipientPublicKey);
  const body = xsalsa20poly1305(key, sealNonce(ephemeral.publicKey, recipientPublicKey)).encrypt(message);
  key.fill(0);
  ephemeral.secretKey.fill(0);
  const out = new Uint8Array(32 + body.length);
  out.set(ephemeral.publicKey, 0);
  out.set(body, 32);
  return out;
}

/**
 * `crypto_box_seal_open(sealed, pk, sk)`: the message, or an Error when the box is too short, was
 * sealed to another key, or was altered.
 */
export function cryptoBoxSealOpen(sealed: Uint8Array, recipient: X25519Key): Uint8Array {
  if (sealed.length < SEALED_BOX_OVERHEAD) throw new Error(`sealed box: ${sealed.length} bytes is shorter than the ${SEALED_BOX_OVERHEAD}-byte overhead`);
  const epk = sealed.subarray(0, 32);
  let key: Uint8Array;
  try {
    key = boxKey(recipient.secretKey, epk);
  } catch {
    throw new Error('sealed box: invalid ephemeral public key');
  }
  try {
    return xsalsa20poly1305(key, sealNonce(epk, recipient.publicKey)).decrypt(sealed.subarray(32));
  } catch {
    throw new Error('sealed box: authentication failed (sealed to another key, or altered)');
  } finally {
    key.fill(0);
  }
}
