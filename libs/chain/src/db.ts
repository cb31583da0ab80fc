import { join } from 'node:path';
import { Level } from 'level';

/**
 * A node keeps two LevelDBs. The main one holds what is keyed by hash or name: state, state tree,
 * meta, tx index rows and pointers, block hashes (each kind under its own prefix, listed here once
 * and never reused). The `blocks` one (a `blocks/` directory inside the main one) holds what is
 * written once per height, in height order: blocks, commits, results, tx records. Its keys start
 * with the height, so each file LevelDB flushes covers heights no other file has and moves down the
 * levels without being rewritten; mixed with hash-keyed data, every flush overlapped every file
 * below it and compactions rewrote the whole database over and over (in bursts, every few blocks).
 *
 * A block is committed in order: its block and commit (blocks), then its results and tx records
 * (blocks), then its state and index (main). After a crash the node sees a prefix of that; a block
 * whose state is missing is executed again (see ChainNode.open), which rewrites the rest.
 */
export const PREFIX = {
  state: 's/',
  treeNode: 'n/',
  meta: 'm/',
  blockHash: 'h/',
  txPosition: 't/',
  txEvent: 'e/',
} as const;

type Level2 = Level<Buffer, Uint8Array>;

/** A LevelDB chained batch, as the stores fill it. */
export interface Batch {
  put(key: Buffer, value: Uint8Array): unknown;
  del(key: Buffer): unknown;
  write(options?: { sync?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** What executing a block writes: its results and tx records (blocks), its state and index (main). */
export interface BlockEffects {
  readonly blocks: Batch;
  readonly main: Batch;
}

/**
 * A block of 1,000 txs writes a few MB. LevelDB's 4 MB memtable would flush after nearly every
 * block; 32 MB flushes every ten or so.
 */
const LEVELDB_OPTIONS = { keyEncoding: 'buffer', valueEncoding: 'view', writeBufferSize: 32 * 1024 * 1024, maxFileSize: 16 * 1024 * 1024 } as const;

/**
 * The node's main LevelDB, with the blocks one beside it. It can write a block's effects behind
 * the caller's back (see ChainNode.commitBlock): reads that must see them await `settled()` first.
 */
export class ChainDB extends Level<Buffer, Uint8Array> {
  readonly blocks: Level2;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    super(path, LEVELDB_OPTIONS);
    this.blocks = new Level<Buffer, Uint8Array>(join(path, 'blocks'), LEVELDB_OPTIONS);
  }

  effectsBatch(): BlockEffects {
    return { blocks: this.blocks.batch(), main: this.batch() };
  }

  /**
   * Writes a block's effects durably, blocks first, after every block handed over before. They may
   * still be being filled (a promise of them): reads that await settled() wait for that too.
   */
  writeBehind(effects: BlockEffects | Promise<BlockEffects>): Promise<void> {
    const written = this.inFlight.then(async () => {
      const { blocks, main } = await effects;
      await writeDurably(blocks);
      await writeDurably(main);
    });
    this.inFlight = written.catch(() => undefined);
    return written;
  }

  /** Resolves once everything handed to writeBehind so far is written (or has failed). */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  /** Closes both databases once the effects still being written are on disk. */
  override async close(): Promise<void> {
    await this.settled();
    await this.blocks.close();
    await super.close();
  }
}

export async function openChainDB(path: string): Promise<ChainDB> {
  const db = new ChainDB(path);
  await db.open();
  await db.blocks.open();
  // Blocks used to live in the main database (under b/, with their height at m/block_height).
  if (await db.get(dbKey(PREFIX.meta, 'block_height'))) {
    await db.close();
    throw new Error(`${path} holds chain data in an older storage layout; delete it and start the node again (it syncs from its peers), or start the devnet over with \`npx trucom devnet --reset\``);
  }
  return db;
}

export function dbKey(prefix: string, ...parts: (string | Uint8Array)[]): Buffer {
  if (parts.every((p) => typeof p === 'string')) return Buffer.from(prefix + parts.join(''));
  return Buffer.concat([Buffer.from(prefix), ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))]);
}

/** The smallest key greater than every key starting with `prefix`. */
export function prefixEnd(prefix: Buffer): Buffer {
  return Buffer.concat([prefix, Buffer.from([0xff])]);
}

/** Fixed-width big-endian height, so LevelDB orders heights numerically. */
export function heightKey(height: number): string {
  return height.toString().padStart(16, '0');
}

/** Durable write: the batch reaches the disk (fsync) before the promise resolves. */
export async function writeDurably(batch: Batch): Promise<void> {
  await batch.write({ sync: true });
}
