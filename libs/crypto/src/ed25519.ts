import { ed25519 } from '@noble/curves/ed25519.js';
import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { sha256 } from './hash.js';
import { bytesEqual } from './bytes.js';

/** Ed25519 consensus keys, as CometBFT uses them: address = first 20 bytes of SHA-256(pubkey). */
export interface Ed25519Key {
  readonly privateKey: Uint8Array; // 32-byte seed
  readonly publicKey: Uint8Array;
}

export function generateEd25519Key(seed: Uint8Array = randomBytes(32)): Ed25519Key {
  return { privateKey: new Uint8Array(seed), publicKey: ed25519.getPublicKey(seed) };
}

/** DER prefixes of raw Ed25519 keys (RFC 8410), to hand them to OpenSSL: PKCS#8 for a seed, SPKI for a public key. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const KEY_OBJECT_LIMIT = 10_000;
const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

/** Keys are few and stable (this node's own, the validator set's), so parsed ones are kept (bounded). */
function keyObject(cache: Map<string, KeyObject>, raw: Uint8Array, parse: (der: Buffer) => KeyObject): KeyObject {
  const id = Buffer.from(raw).toString('latin1');
  let key = cache.get(id);
  if (!key) {
    if (cache.size >= KEY_OBJECT_LIMIT) cache.clear();
    cache.set(id, (key = parse(Buffer.from(raw))));
  }
  return key;
}

/**
 * Signs through OpenSSL, an order of magnitude faster than pure JS: a validator signs two or three
 * consensus messages every block. Ed25519 is deterministic, so the signature is the RFC 8032 one.
 */
export function signEd25519(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  const key = keyObject(privateKeys, privateKey, (seed) => createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }));
  const signature = sign(null, message, key);
  return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength);
}

/** Signatures verified true, by signature: a consensus message is checked when gossip validates it and again when it is applied. */
const verified = new Map<string, { publicKey: Uint8Array; message: Uint8Array }>();
const VERIFIED_LIMIT = 4096;

/** Verification through OpenSSL (several times faster than pure JS); consensus verifies every vote. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const id = Buffer.from(signature).toString('latin1');
  const known = verified.get(id);
  if (known && bytesEqual(known.publicKey, publicKey) && bytesEqual(known.message, message)) return true;
  let ok: boolean;
  try {
    ok = verify(null, message, keyObject(publicKeys, publicKey, (raw) => createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' })), signature);
  } catch {
    return false;
  }
  if (ok) {
    if (verified.size >= VERIFIED_LIMIT) verified.delete(verified.keys().next().value!);
    verified.set(id, { publicKey: publicKey.slice(), message: message.slice() });
  }
  return ok;
}

export function validatorAddress(ed25519PublicKey: Uint8Array): Uint8Array {
  return sha256(ed25519PublicKey).subarray(0, 20);
}
