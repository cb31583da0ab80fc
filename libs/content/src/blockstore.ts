/** Where blocks live: the small interface the rest of this library uses, and its on-disk implementation. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FsBlockstore } from 'blockstore-fs';
import { NextToLast } from 'blockstore-fs/sharding';
import type { CID } from 'multiformats/cid';
import { assertSupportedCid, blockMatches } from './block.js';
import { BlockMismatchError, MissingBlockError } from './errors.js';

export type BlockBytes = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * What import, export, CAR and proof code need from a store. `get` streams a block's bytes and throws
 * MissingBlockError when it is absent. ipfs-unixfs-importer/-exporter accept any BlockStore.
 */
export interface BlockStore {
  put(cid: CID, bytes: BlockBytes): Promise<CID>;
  get(cid: CID): AsyncGenerator<Uint8Array> | Generator<Uint8Array>;
  has(cid: CID): Promise<boolean>;
}

/** A whole block from any store. */
export async function getBlock(store: Pick<BlockStore, 'get'>, cid: CID): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const part of store.get(cid)) {
    parts.push(part);
    length += part.length;
  }
  if (parts.length === 1) {
    const only = parts[0]!; // as a plain Uint8Array view, whatever Buffer subclass the store yields
    return only.constructor === Uint8Array ? only : new Uint8Array(only.buffer, only.byteOffset, only.byteLength);
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Store `bytes` under `cid` only if the CID is sha2-256 raw/dag-pb and the bytes hash to it. */
export async function putVerified(store: Pick<BlockStore, 'put'>, cid: CID, bytes: Uint8Array): Promise<CID> {
  assertSupportedCid(cid);
  if (!blockMatches(cid, bytes)) throw new BlockMismatchError(cid.toString());
  return store.put(cid, bytes);
}

/**
 * Blocks as files under a directory (blockstore-fs: one file per multihash, sharded by the next-to-last
 * two characters, written to a temporary file then renamed). Reads stream from the file.
 */
export class DiskBlockstore implements BlockStore {
  private readonly fs: FsBlockstore;
  /** blockstore-fs's default layout, kept here to find a block's file for getBytes. */
  private readonly sharding = new NextToLast();

  private constructor(readonly dir: string) {
    this.fs = new FsBlockstore(dir, { shardingStrategy: this.sharding });
  }

  /** Opens (creating if missing) the store under `dir`. */
  static async open(dir: string): Promise<DiskBlockstore> {
    const store = new DiskBlockstore(dir);
    await store.fs.open();
    return store;
  }

  async close(): Promise<void> {
    await this.fs.close();
  }

  /** Trusted write (the importer computed the CID itself); use putVerified for bytes from elsewhere. */
  async put(cid: CID, bytes: BlockBytes): Promise<CID> {
    return this.fs.put(cid, bytes);
  }

  putVerified(cid: CID, bytes: Uint8Array): Promise<CID> {
    return putVerified(this, cid, bytes);
  }

  async *get(cid: CID): AsyncGenerator<Uint8Array> {
    try {
      yield* this.fs.get(cid);
    } catch (err) {
      if ((err as Error).name === 'NotFoundError' && !(await this.fs.has(cid))) throw new MissingBlockError(cid.toString());
      throw err;
    }
  }

  /** A whole block in one read (no stream: cheaper for the small blocks a gateway serves). */
  async getBytes(cid: CID): Promise<Uint8Array> {
    const { dir, file } = this.sharding.encode(cid);
    try {
      const buf = await readFile(join(this.fs.path, dir, file));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingBlockError(cid.toString());
      throw err;
    }
  }

  has(cid: CID): Promise<boolean> {
    return this.fs.has(cid);
  }

  async delete(cid: CID): Promise<void> {
    await this.fs.delete(cid);
  }
}
