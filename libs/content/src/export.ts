/** Reading UnixFS entries out of a BlockStore: file bytes (whole or a range) and directory listings. */
import { exporter, type UnixFSEntry } from 'ipfs-unixfs-exporter';
import type { CID } from 'multiformats/cid';
import type { BlockStore } from './blockstore.js';
import { InvalidRangeError } from './errors.js';

/** Blocks fetched ahead while streaming a file: bounds memory to a few chunks. */
const BLOCK_READ_CONCURRENCY = 4;


export interface DirectoryEntry {
  name: string;
  cid: CID;
  /** Tsize of the link: the entry's DAG size, an upper bound of its file size. */
  size: bigint;
}

export type FileEntry = Extract<UnixFSEntry, { type: 'file' | 'raw' }>;
export type DirEntry = Extract<UnixFSEntry, { type: 'directory' }>;

/** The exporter's entry for a CID (file, raw, directory, ...). */
export function exportEntry(store: Pick<BlockStore, 'get'>, cid: CID): Promise<UnixFSEntry> {
  return exporter(cid, store);
}

/**
 * Bytes [offset, offset + length) of a file entry, streamed; `length` defaults to the rest of the file
 * and is clipped at its end. An offset past the end throws InvalidRangeError.
 */
export async function* fileContent(entry: FileEntry, offset = 0n, length?: bigint): AsyncGenerator<Uint8Array> {
  const size = entry.size;
  if (offset < 0n || offset > size) throw new InvalidRangeError(`offset ${offset} is outside a file of ${size} bytes`);
  if (length !== undefined && length < 0n) throw new InvalidRangeError(`negative length ${length}`);
  const end = length === undefined || offset + length > size ? size : offset + length;
  if (end === offset) return;
  yield* entry.content({ offset: Number(offset), length: Number(end - offset), blockReadConcurrency: BLOCK_READ_CONCURRENCY });
}

/** A directory's entries, in link order (HAMT shards are walked transparently). */
export async function* directoryEntries(entry: DirEntry): AsyncGenerator<DirectoryEntry> {
  for await (const e of entry.entries()) yield { name: e.name, cid: e.cid, size: e.size };
}
