/** A DiskBlockstore in a fresh temporary directory, removed by `cleanup`. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskBlockstore } from '../blockstore.js';

export async function tempDiskStore(): Promise<{ store: DiskBlockstore; dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'trucom-content-'));
  const store = await DiskBlockstore.open(join(dir, 'blocks'));
  return { store, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
