import { createHash, hash } from 'node:crypto';
import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js';

const asBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * SHA-256 through OpenSSL: the hot path of tx hashing, Merkle trees and the state tree. One part
 * goes through the one-shot `crypto.hash` (no Hash object per call, the cheapest path for small inputs).
 */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return asBytes(hash('sha256', parts[0]!, 'buffer') as unknown as Buffer);
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return asBytes(h.digest());
}

export function ripemd160(data: Uint8Array): Uint8Array {
  return nobleRipemd160(data);
}
