/** Reading UnixFS entries out of a BlockStore: file bytes (whole or a range) and directory listings. */
import { exporter, type UnixFSEntry } from 'ipfs-unixfs-exporter';
import type { CID } from 'multiformats/cid';
import { RAW_CODE } from './block.js';
import { getBlock, type BlockStore } from './blockstore.js';
import { decodeBlock } from './dag-node.js';
import { ContentError, InvalidRangeError } from './errors.js';

/** Sibling blocks read at once while streaming a file: bounds memory to a few chunks. */
const BLOCK_READ_CONCURRENCY = 4;


export interface DirectoryEntry {
  name: string;
  cid: CID;
  /** Tsize of the link: the entry's DAG size, an upper bound of its file size. */
  size: bigint;
}

export type DirEntry = Extract<UnixFSEntry, { type: 'directory' }>;

/** The exporter's entry for a CID (file, raw, directory, ...). */
export function exportEntry(store: Pick<BlockStore, 'get'>, cid: CID): Promise<UnixFSEntry> {
  return exporter(cid, store);
}

/** A store that may also read a whole block at once (DiskBlockstore.getBytes, BlockCache.getBytes). */
export type BlockSource = Pick<BlockStore, 'get'> & { getBytes?(cid: CID): Promise<Uint8Array> };

const readBlock = (store: BlockSource, cid: CID) => (store.getBytes ? store.getBytes(cid) : getBlock(store, cid));

/**
 * Bytes [offset, offset + length) of the file of `size` bytes under `cid`, streamed as views of its
 * blocks: nothing is copied (the exporter copies every block it reads), and children wholly outside
 * the range are skipped by their UnixFS block sizes, never read. `length` defaults to the rest of
 * the file and is clipped at its end; an offset past the end throws InvalidRangeError. Each block's
 * size is checked against what its parent declares: a DAG that lies about sizes throws ContentError.
 */
export async function* fileContent(store: BlockSource, cid: CID, size: bigint, offset = 0n, length?: bigint): AsyncGenerator<Uint8Array> {
  if (offset < 0n || offset > size) throw new InvalidRangeError(`offset ${offset} is outside a file of ${size} bytes`);
  if (length !== undefined && length < 0n) throw new InvalidRangeError(`negative length ${length}`);
  const end = length === undefined || offset + length > size ? size : offset + length;
  if (end === offset) return;
  yield* slices(store, cid, await readBlock(store, cid), size, 0n, offset, end);
}

/** The part of a node's bytes in [from, to), the node starting at file offset `at` and holding `size` bytes. */
async function* slices(store: BlockSource, cid: CID, bytes: Uint8Array, size: bigint, at: bigint, from: bigint, to: bigint): AsyncGenerator<Uint8Array> {
  const clip = (data: Uint8Array, start: bigint) => {
    const a = from > start ? Number(from - start) : 0;
    const b = Math.min(data.length, Number(to - start));
    return a < b ? data.subarray(a, b) : undefined;
  };
  if (cid.code === RAW_CODE) {
    if (BigInt(bytes.length) !== size) throw new ContentError(`${cid.toString()} holds ${bytes.length} bytes, not ${size}`);
    const part = clip(bytes, at);
    if (part) yield part;
    return;
  }
  const node = decodeBlock(cid, bytes);
  const unixfs = node.unixfs;
  if (unixfs?.type !== 'file' && unixfs?.type !== 'raw') throw new ContentError(`${cid.toString()} is not part of a file`);
  if (unixfs.fileSize() !== size) throw new ContentError(`${cid.toString()} holds ${unixfs.fileSize()} bytes, not ${size}`);
  if (unixfs.blockSizes.length !== node.links.length) throw new ContentError(`${cid.toString()} lists ${unixfs.blockSizes.length} block sizes for ${node.links.length} links`);
  const data = unixfs.data ?? new Uint8Array();
  const inline = clip(data, at);
  if (inline) yield inline;
  const wanted: { cid: CID; size: bigint; at: bigint }[] = [];
  let childAt = at + BigInt(data.length);
  node.links.forEach((link, i) => {
    const childSize = unixfs.blockSizes[i]!;
    if (childAt < to && childAt + childSize > from) wanted.push({ cid: link.Hash, size: childSize, at: childAt });
    childAt += childSize;
  });
  for (let i = 0; i < wanted.length; i += BLOCK_READ_CONCURRENCY) {
    const batch = wanted.slice(i, i + BLOCK_READ_CONCURRENCY);
    const children = await Promise.all(batch.map((c) => readBlock(store, c.cid)));
    for (let j = 0; j < batch.length; j++) yield* slices(store, batch[j]!.cid, children[j]!, batch[j]!.size, batch[j]!.at, from, to);
  }
}

/**
 * A whole file of `size` bytes in one buffer (for small files: the result is held in memory); a file
 * of one raw block is returned as it is. Throws ContentError when the DAG is not a file of `size` bytes.
 */
export async function fileBytes(store: BlockSource, cid: CID, size: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of fileContent(store, cid, BigInt(size))) parts.push(part);
  if (parts.length === 1 && parts[0]!.length === size) return parts[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A directory's entries, in link order (HAMT shards are walked transparently). */
export async function* directoryEntries(entry: DirEntry): AsyncGenerator<DirectoryEntry> {
  for await (const e of entry.entries()) yield { name: e.name, cid: e.cid, size: e.size };
}
