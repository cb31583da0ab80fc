import { Level } from 'level';

/**
 * One LevelDB per node holds the state, the state tree, the block store and the indexes, each under
 * its own key prefix (the prefixes are listed here once and never reused). A block is committed in
 * two atomic batches: the block with its commit, then everything executing it changed; after a crash
 * the node sees neither, the block alone (and executes it again), or both.
 */
export const PREFIX = {
  state: 's/',
  treeNode: 'n/',
  meta: 'm/',
  block: 'b/',
  blockHash: 'h/',
  commit: 'c/',
  results: 'r/',
  txByHash: 't/',
  txEvent: 'e/',
} as const;

/**
 * The node's LevelDB, which can also write a batch behind the caller's back (see
 * ChainNode.commitBlock): reads that must see such a batch await `settled()` first.
 */
export class ChainDB extends Level<Buffer, Uint8Array> {
  private inFlight: Promise<unknown> = Promise.resolve();

  /** Starts writing `batch` durably, after every batch handed over before it. */
  writeBehind(batch: Batch): Promise<void> {
    const written = this.inFlight.then(() => writeDurably(batch));
    this.inFlight = written.catch(() => undefined);
    return written;
  }

  /** Resolves once every batch handed to writeBehind so far is written (or has failed). */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  /** Closes once the batches still being written are on disk. */
  override async close(): Promise<void> {
    await this.settled();
    await super.close();
  }
}
export type Batch = ReturnType<Level<Buffer, Uint8Array>['batch']>;

/**
 * A block of 1,000 txs writes a few MB (results, index rows, state tree nodes). LevelDB's 4 MB
 * memtable and 2 MB tables would flush and compact after nearly every block; 32 MB and 16 MB
 * let compaction work in bigger, fewer steps (about a fifth less compaction CPU in the ledger bench).
 */
const LEVELDB_OPTIONS = { writeBufferSize: 32 * 1024 * 1024, maxFileSize: 16 * 1024 * 1024 };

export async function openChainDB(path: string): Promise<ChainDB> {
  const db = new ChainDB(path, { keyEncoding: 'buffer', valueEncoding: 'view', ...LEVELDB_OPTIONS });
  await db.open();
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
  await batch.write({ sync: true } as never);
}
