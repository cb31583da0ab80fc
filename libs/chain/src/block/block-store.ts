import { PREFIX, dbKey, heightKey, type Batch, type ChainDB } from '../db.js';
import { Block, BlockResults, Commit, type BlockID } from './types.js';

const META_BLOCK_HEIGHT = dbKey(PREFIX.meta, 'block_height');

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

  /** The decided block and its commit: written before the block's effects (see ChainNode.commitBlock). */
  save(batch: Batch, block: Block, blockId: BlockID, commit: Commit): void {
    const h = heightKey(Number(block.header!.height));
    batch.put(dbKey(PREFIX.block, h), Block.encode(block).finish());
    batch.put(dbKey(PREFIX.blockHash, blockId.hash), Buffer.from(h));
    batch.put(dbKey(PREFIX.commit, h), Commit.encode(commit).finish());
    batch.put(META_BLOCK_HEIGHT, Buffer.from(String(block.header!.height)));
  }

  /** What executing the block gave, written with its state changes. */
  saveResults(batch: Batch, height: number, results: BlockResults): void {
    // Per-tx results live once, in the tx index (TxRecord); the block keeps its own events and app hash.
    batch.put(dbKey(PREFIX.results, heightKey(height)), BlockResults.encode({ ...results, txResults: [] }).finish());
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
    await this.db.settled();
    const v = await this.db.get(dbKey(PREFIX.results, heightKey(height)));
    return v ? BlockResults.decode(v) : undefined;
  }
}
