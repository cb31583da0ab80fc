/** Whole blocks kept in memory in front of a store, for serving hot content without touching the disk. */
import type { CID } from 'multiformats/cid';
import { getBlock, type BlockStore } from './blockstore.js';
import { Lru } from './lru.js';

export interface BlockCacheOptions {
  /** Total bytes of blocks kept (default 64 MiB). */
  readonly maxBytes?: number;
  /** Blocks larger than this are read through, never kept (default 1 MiB, one chunk of either profile). */
  readonly maxBlockBytes?: number;
}

/** A store that can also read a whole block at once (DiskBlockstore.getBytes). */
type Source = Pick<BlockStore, 'get'> & { getBytes?(cid: CID): Promise<Uint8Array> };

/**
 * A read-only view of a store with a bounded LRU of whole blocks: a block is immutable under its CID,
 * so a kept one is never stale. Absent blocks are not remembered (they may arrive later), and the
 * missing-block error of the store passes through. Callers must not modify the bytes they get.
 */
export class BlockCache implements Pick<BlockStore, 'get'> {
  private readonly blocks: Lru<Uint8Array>;
  private readonly maxBlockBytes: number;

  constructor(
    private readonly store: Source,
    options: BlockCacheOptions = {},
  ) {
    this.blocks = new Lru(options.maxBytes ?? 64 * 1024 * 1024, (b) => b.length);
    this.maxBlockBytes = options.maxBlockBytes ?? 1024 * 1024;
  }

  /** Bytes of blocks held. */
  get bytes(): number {
    return this.blocks.weight;
  }

  async getBytes(cid: CID): Promise<Uint8Array> {
    const key = cid.toString();
    const hit = this.blocks.get(key);
    if (hit) return hit;
    const bytes = this.store.getBytes ? await this.store.getBytes(cid) : await getBlock(this.store, cid);
    if (bytes.length <= this.maxBlockBytes) this.blocks.set(key, bytes);
    return bytes;
  }

  async *get(cid: CID): AsyncGenerator<Uint8Array> {
    yield await this.getBytes(cid);
  }
}
