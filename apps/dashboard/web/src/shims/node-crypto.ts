// The bits of node:crypto that @trucom/crypto touches, for the browser: randomness from WebCrypto and
// SHA-256 from @noble/hashes. Key objects and OpenSSL signing and verification do not exist here (the
// dashboard never signs consensus messages nor verifies signatures itself).
import { sha256 } from '@noble/hashes/sha2.js';

export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

function need(algorithm: string): void {
  if (algorithm !== 'sha256') throw new Error(`${algorithm} is not available in the browser`);
}

export function hash(algorithm: string, data: Uint8Array): Uint8Array {
  need(algorithm);
  return sha256(data);
}

export function createHash(algorithm: string) {
  need(algorithm);
  const h = sha256.create();
  return {
    update(part: Uint8Array) {
      h.update(part);
      return this;
    },
    digest: () => h.digest(),
  };
}

export function createPublicKey(): never {
  throw new Error('key objects are not available in the browser');
}

export function createPrivateKey(): never {
  throw new Error('key objects are not available in the browser');
}

export function verify(): never {
  throw new Error('OpenSSL verification is not available in the browser');
}

export function sign(): never {
  throw new Error('OpenSSL signing is not available in the browser');
}

export type KeyObject = never;
export default { randomBytes, hash, createHash, createPublicKey, createPrivateKey, verify, sign };
