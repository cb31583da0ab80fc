import { ed25519 } from '@noble/curves/ed25519.js';
import { randomBytes } from 'node:crypto';
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

export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

export function validatorAddress(ed25519PublicKey: Uint8Array): Uint8Array {
  return sha256(ed25519PublicKey).subarray(0, 20);
}
