/** Reading UnixFS entries out of a BlockStore: file bytes (whole or a range) and directory listings. */
import { exporter, type UnixFSEntry } from 'ipfs-unixfs-exporter';
import type { CID } from 'multiformats/cid';
import { RAW_CODE } from './block.js';
import type { BlockStore } from './blockstore.js';
import { decodeBlock } from './dag-node.js';
import { ContentError, InvalidRangeError } from './errors.js';

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

/**
 * A whole file of `size` bytes in one buffer: its raw leaves and UnixFS file nodes read in link order
 * (a few at a time) and copied once, without the exporter's streaming machinery; a single raw block is
 * returned as it is. For small files only: the result is held in memory. Throws ContentError when the
 * DAG is not a file or holds a different number of bytes.
 */
export async function fileBytes(store: { getBytes(cid: CID): Promise<Uint8Array> }, cid: CID, size: number): Promise<Uint8Array> {
  const rootBytes = await store.getBytes(cid);
  if (cid.code === RAW_CODE) {
    if (rootBytes.length !== size) throw new ContentError(`${cid.toString()} holds ${rootBytes.length} bytes, not ${size}`);
    return rootBytes;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  const append = (bytes: Uint8Array) => {
    if (offset + bytes.length > size) throw new ContentError(`${cid.toString()} holds more than ${size} bytes`);
    out.set(bytes, offset);
    offset += bytes.length;
  };
  const walk = async (at: CID, bytes: Uint8Array): Promise<void> => {
    if (at.code === RAW_CODE) return append(bytes);
    const node = decodeBlock(at, bytes);
    const type = node.unixfs?.type;
    if (type !== 'file' && type !== 'raw') throw new ContentError(`${at.toString()} is not part of a file`);
    if (node.unixfs!.data) append(node.unixfs!.data);
    for (let i = 0; i < node.links.length; i += BLOCK_READ_CONCURRENCY) {
      const batch = node.links.slice(i, i + BLOCK_READ_CONCURRENCY);
      const children = await Promise.all(batch.map((l) => store.getBytes(l.Hash)));
      for (let j = 0; j < batch.length; j++) await walk(batch[j]!.Hash, children[j]!);
    }
  };
  await walk(cid, rootBytes);
  if (offset !== size) throw new ContentError(`${cid.toString()} holds ${offset} bytes, not ${size}`);
  return out;
}

/** A directory's entries, in link order (HAMT shards are walked transparently). */
export async function* directoryEntries(entry: DirEntry): AsyncGenerator<DirectoryEntry> {
  for await (const e of entry.entries()) yield { name: e.name, cid: e.cid, size: e.size };
}
