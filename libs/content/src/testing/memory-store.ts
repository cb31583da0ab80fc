/** Test helpers: an in-memory block map usable by the importer/exporter, and deterministic bytes. */
import { sha256 } from '@noble/hashes/sha2.js';
import type { CID } from 'multiformats/cid';

async function concat(val: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  if (val instanceof Uint8Array) return val;
  const parts: Uint8Array[] = [];
  for await (const p of val) parts.push(p);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

export class MemoryStore {
  readonly blocks = new Map<string, Uint8Array>();

  async put(cid: CID, val: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<CID> {
    this.blocks.set(cid.toString(), await concat(val));
    return cid;
  }

  async *get(cid: CID): AsyncGenerator<Uint8Array> {
    yield await this.bytes(cid);
  }

  async bytes(cid: CID): Promise<Uint8Array> {
    const b = this.blocks.get(cid.toString());
    if (b === undefined) throw new Error(`missing ${cid.toString()}`);
    return b;
  }

  async has(cid: CID): Promise<boolean> {
    return this.blocks.has(cid.toString());
  }
}

/** `length` deterministic pseudo-random bytes (sha256 in counter mode over `label`). */
export function pseudoRandomBytes(length: number, label = 'trucom'): Uint8Array {
  const out = new Uint8Array(length);
  const seed = new TextEncoder().encode(label);
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  const view = new DataView(input.buffer);
  for (let i = 0, o = 0; o < length; i++, o += 32) {
    view.setUint32(seed.length, i);
    out.set(sha256(input).subarray(0, Math.min(32, length - o)), o);
  }
  return out;
}

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
