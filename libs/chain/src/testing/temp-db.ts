import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChainDB, type ChainDB } from '../db.js';

/** A LevelDB in a fresh temp directory, for tests. Test-only: not exported from index.ts. */
export interface TempDB {
  db: ChainDB;
  readonly dir: string;
  /** Closes and opens the same directory again (what a node restart sees). */
  reopen(): Promise<ChainDB>;
  /** Closes the database and deletes the directory. */
  destroy(): Promise<void>;
}

export async function tempDB(name = 'trucom-test-'): Promise<TempDB> {
  const dir = await mkdtemp(join(tmpdir(), name));
  const t: TempDB = {
    db: await openChainDB(dir),
    dir,
    async reopen() {
      await t.db.close();
      t.db = await openChainDB(dir);
      return t.db;
    },
    async destroy() {
      if (t.db.status === 'open') await t.db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return t;
}
