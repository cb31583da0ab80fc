import { ed25519 } from '@noble/curves/ed25519.js';
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { sha256 } from './hash.js';

/** Ed25519 consensus keys, as CometBFT uses them: address = first 20 bytes of SHA-256(pubkey). */
export interface Ed25519Key {
  readonly privateKey: Uint8Array; // 32-byte seed
  readonly publicKey: Uint8Array;
}

export function generateEd25519Key(seed: Uint8Array = randomBytes(32)): Ed25519Key {
  return { privateKey: new Uint8Array(seed), publicKey: ed25519.getPublicKey(seed) };
}

export function signEd25519(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, privateKey);
}

/** SPKI DER prefix of an Ed25519 public key (RFC 8410), to hand raw keys to OpenSSL. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keyObjects = new Map<string, KeyObject>();

/** A validator set is small and stable, so its parsed keys are kept (bounded). */
function keyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('hex');
  let key = keyObjects.get(id);
  if (!key) {
    if (keyObjects.size >= 10_000) keyObjects.clear();
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    keyObjects.set(id, key);
  }
  return key;
}

/** Verification through OpenSSL (several times faster than pure JS); consensus verifies every vote. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, message, keyObject(publicKey), signature);
  } catch {
    return false;
  }
}

export function validatorAddress(ed25519PublicKey: Uint8Array): Uint8Array {
  return sha256(ed25519PublicKey).subarray(0, 20);
}
