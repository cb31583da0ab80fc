import { createHash } from 'node:crypto';
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js';

/** SHA-256 through OpenSSL: the hot path of tx hashing, Merkle trees and the state tree. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest().buffer.slice(0) as ArrayBuffer);
}

export function ripemd160(data: Uint8Array): Uint8Array {
  return nobleRipemd160(data);
}
