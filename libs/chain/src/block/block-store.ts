import { PREFIX, dbKey, heightKey, type Batch, type ChainDB } from '../db.js';
import { Block, BlockResults, Commit, type BlockID } from './types.js';

const META_BLOCK_HEIGHT = dbKey(PREFIX.meta, 'block_height');

export interface StoredBlock {
  readonly block: Block;
  readonly blockId: BlockID;
  /** The +2/3 commit seen for this block (the next block carries it as last_commit). */
  readonly commit: Commit;
  readonly results: BlockResults;
}

/** Blocks, their commits and execution results by height, plus a hash → height index. */
export class BlockStore {
  private constructor(
    private readonly db: ChainDB,
    private latest: number,
  ) {}

  static async open(db: ChainDB): Promise<BlockStore> {
    const h = await db.get(META_BLOCK_HEIGHT);
    return new BlockStore(db, h ? Number(Buffer.from(h).toString()) : 0);
  }

  get height(): number {
    return this.latest;
  }

  /** Earliest stored height (no pruning yet, so the first block once there is one). */
  get base(): number {
    return this.latest > 0 ? 1 : 0;
  }

  save(batch: Batch, stored: StoredBlock): void {
    const h = heightKey(Number(stored.block.header!.height));
    batch.put(dbKey(PREFIX.block, h), Block.encode(stored.block).finish());
    batch.put(dbKey(PREFIX.blockHash, stored.blockId.hash), Buffer.from(h));
    batch.put(dbKey(PREFIX.commit, h), Commit.encode(stored.commit).finish());
    // Per-tx results live once, in the tx index (TxRecord); the block keeps its own events and app hash.
    batch.put(dbKey(PREFIX.results, h), BlockResults.encode({ ...stored.results, txResults: [] }).finish());
    batch.put(META_BLOCK_HEIGHT, Buffer.from(String(stored.block.header!.height)));
  }

  saved(height: number): void {
    this.latest = height;
  }

  async block(height: number): Promise<Block | undefined> {
    const v = await this.db.get(dbKey(PREFIX.block, heightKey(height)));
    return v ? Block.decode(v) : undefined;
  }

  async heightOfHash(hash: Uint8Array): Promise<number | undefined> {
    const v = await this.db.get(dbKey(PREFIX.blockHash, hash));
    return v ? Number(Buffer.from(v).toString()) : undefined;
  }

  async commit(height: number): Promise<Commit | undefined> {
    const v = await this.db.get(dbKey(PREFIX.commit, heightKey(height)));
    return v ? Commit.decode(v) : undefined;
  }

  /** The block's own results; `txResults` is empty here (see ChainNode.storedBlock). */
  async results(height: number): Promise<BlockResults | undefined> {
    const v = await this.db.get(dbKey(PREFIX.results, heightKey(height)));
    return v ? BlockResults.decode(v) : undefined;
  }
}
