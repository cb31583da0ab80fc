/** Test data: deterministic bytes and small stream helpers. */
import { sha256 } from '@noble/hashes/sha2.js';

/** `length` deterministic pseudo-random bytes (xorshift32 seeded by the sha256 of `label`). */
export function pseudoRandomBytes(length: number, label = 'trucom'): Uint8Array {
  let x = new DataView(sha256(new TextEncoder().encode(label)).buffer).getUint32(0) || 1;
  const words = new Uint32Array(Math.ceil(length / 4));
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, length);
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** All chunks of a stream joined. */
export async function collect(stream: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of stream) parts.push(p);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** `bytes` as a stream of `chunk`-sized pieces (an upload arriving in network-sized reads). */
export async function* streamOf(bytes: Uint8Array, chunk = 65_536): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < bytes.length; o += chunk) yield bytes.subarray(o, Math.min(bytes.length, o + chunk));
}
