/** Test DAGs: a small site imported with the default profile, and a HAMT-sharded directory. */
import { importer } from 'ipfs-unixfs-importer';
import type { CID } from 'multiformats/cid';
import { importDirectory } from '../import.js';
import { DEFAULT_PROFILE, importerOptions } from '../profiles.js';
import { utf8 } from './data.js';
import { MemoryStore } from './memory-store.js';

/** `files` (path → bytes) imported under one root into a fresh MemoryStore. */
export async function importSite<F extends Record<string, Uint8Array>>(files: F) {
  const store = new MemoryStore();
  const imported = await importDirectory(store, Object.entries(files).map(([path, bytes]) => ({ path, content: [bytes] })), DEFAULT_PROFILE);
  return { store, ...imported, files };
}

/** A root holding `dir/` with `count` small files `f0…`, sharded (HAMT) by a low split threshold. */
export async function importShardedDirectory(dir: string, count: number): Promise<{ store: MemoryStore; root: CID }> {
  const store = new MemoryStore();
  const files = Array.from({ length: count }, (_, i) => ({ path: `${dir}/f${i}`, content: utf8(`content ${i}`) }));
  let root: CID | undefined;
  for await (const e of importer(files, store, { ...importerOptions(DEFAULT_PROFILE), wrapWithDirectory: true, shardSplitThresholdBytes: 1000 })) root = e.cid;
  return { store, root: root! };
}
