import { PREFIX, dbKey, heightKey, type Batch, type ChainDB } from '../db.js';
import { Block, BlockResults, Commit, type BlockID } from './types.js';

const HEIGHT_DIGITS = heightKey(0).length;

/** A key of the blocks database: the height first (see ChainDB), then what it holds. */
export function blockPartKey(height: number, part: 'block' | 'commit' | 'results' | 'tx', index?: number): Buffer {
  const suffix = part === 'tx' ? `t${String(index).padStart(8, '0')}` : part[0]!;
  return Buffer.from(heightKey(height) + suffix);
}

/** Blocks, their commits and execution results by height (blocks database), plus a hash → height index (main). */
export class BlockStore {
  private constructor(
    private readonly db: ChainDB,
    private latest: number,
  ) {}

  static async open(db: ChainDB): Promise<BlockStore> {
    // The last key is the highest height's (a block is written before anything else of its height).
    let height = 0;
    for await (const key of db.blocks.keys({ reverse: true, limit: 1 })) height = Number(key.subarray(0, HEIGHT_DIGITS).toString());
    return new BlockStore(db, height);
  }

  get height(): number {
    return this.latest;
  }

  /** Earliest stored height (no pruning yet, so the first block once there is one). */
  get base(): number {
    return this.latest > 0 ? 1 : 0;
  }

  /** The decided block and its commit: written before the block's effects (see ChainNode.commitBlock). */
  save(batch: Batch, block: Block, commit: Commit): void {
    const height = Number(block.header!.height);
    batch.put(blockPartKey(height, 'block'), Block.encode(block).finish());
    batch.put(blockPartKey(height, 'commit'), Commit.encode(commit).finish());
  }

  /** What executing the block gave (blocks database) and its hash → height entry (main). */
  saveResults({ blocks, main }: { blocks: Batch; main: Batch }, blockId: BlockID, results: BlockResults): void {
    const height = Number(results.height);
    // Per-tx results live once, in the tx index (TxRecord); the block keeps its own events and app hash.
    blocks.put(blockPartKey(height, 'results'), BlockResults.encode({ ...results, txResults: [] }).finish());
    main.put(dbKey(PREFIX.blockHash, blockId.hash), Buffer.from(heightKey(height)));
  }

  saved(height: number): void {
    this.latest = height;
  }

  async block(height: number): Promise<Block | undefined> {
    const v = await this.db.blocks.get(blockPartKey(height, 'block'));
    return v ? Block.decode(v) : undefined;
  }

  async heightOfHash(hash: Uint8Array): Promise<number | undefined> {
    await this.db.settled();
    const v = await this.db.get(dbKey(PREFIX.blockHash, hash));
    return v ? Number(Buffer.from(v).toString()) : undefined;
  }

  async commit(height: number): Promise<Commit | undefined> {
    const v = await this.db.blocks.get(blockPartKey(height, 'commit'));
    return v ? Commit.decode(v) : undefined;
  }

  /** The block's own results; `txResults` is empty here (see ChainNode.storedBlock). */
  async results(height: number): Promise<BlockResults | undefined> {
    await this.db.settled();
    const v = await this.db.blocks.get(blockPartKey(height, 'results'));
    return v ? BlockResults.decode(v) : undefined;
  }
}
