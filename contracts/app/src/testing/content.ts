import { buildStorageProof, CID_PROFILES, importFile } from '@trucom/content';
import type { CID } from 'multiformats/cid';

/** A small file imported with a deal profile into memory: its root CID and a storage prover over its blocks. */
export interface TestContent {
  readonly cid: string;
  readonly size: number;
  prove(seed: Uint8Array): Promise<Uint8Array[]>;
}

/** Deterministic bytes (no randomness): byte i of file `n`. */
function fileBytes(n: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + n * 17 + (i >> 8)) & 255;
  return out;
}

/** Imports `size` bytes (several 256 KiB chunks → a dag-pb root over raw leaves) with the `cidv1-256k-174` profile. */
export async function testContent(n: number, size = 600 * 1024): Promise<TestContent> {
  const blocks = new Map<string, Uint8Array>();
  const store = {
    async put(cid: CID, bytes: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<CID> {
      if (bytes instanceof Uint8Array) blocks.set(cid.toString(), bytes);
      else {
        const parts: Uint8Array[] = [];
        for await (const p of bytes) parts.push(p);
        blocks.set(cid.toString(), Buffer.concat(parts));
      }
      return cid;
    },
  };
  const imported = await importFile(store, [fileBytes(n, size)], CID_PROFILES['cidv1-256k-174']);
  const get = async (cid: CID) => {
    const b = blocks.get(cid.toString());
    if (!b) throw new Error(`missing block ${cid.toString()}`);
    return b;
  };
  return { cid: imported.root.toString(), size, prove: (seed) => buildStorageProof(imported.root, seed, get) };
}
