/** Walking a content path inside a UnixFS DAG to what it names: a file, a directory, or nothing. */
import { NotFoundError as ExporterNotFoundError, resolvers } from 'ipfs-unixfs-exporter';
import type { CID } from 'multiformats/cid';
import { DAG_PB_CODE, RAW_CODE, assertSupportedCid } from './block.js';
import { getBlock, type BlockStore } from './blockstore.js';
import { decodeBlock } from './dag-node.js';
import { parseContentPath } from './content-path.js';
import { ContentError, NotFoundError } from './errors.js';
import { directoryEntries, exportEntry, fileContent, type DirectoryEntry } from './export.js';

interface Resolution {
  /** The CID the path names. */
  cid: CID;
  /** The root, then the CID of each path segment (X-Ipfs-Roots). */
  roots: CID[];
}

export interface ResolvedFile extends Resolution {
  kind: 'file';
  size: bigint;
  /** Bytes [offset, offset + length) streamed; see fileContent. */
  content(offset?: bigint, length?: bigint): AsyncIterable<Uint8Array>;
}

export interface ResolvedDirectory extends Resolution {
  kind: 'directory';
  /** The CID of the directory's `index.html`, when it has one. */
  indexHtml: CID | undefined;
  entries(): AsyncIterable<DirectoryEntry>;
}

export interface ResolvedNothing {
  kind: 'not-found';
  /** CIDs of the path prefix that exists (the root first). */
  roots: CID[];
  /** The first segment that does not exist under the last of `roots`. */
  missing: string;
}

export type Resolved = ResolvedFile | ResolvedDirectory | ResolvedNothing;

type Step = { found: true; cid: CID; consumed: number } | { found: false };

/**
 * One step down from `cid` along `segments`: a plain directory by link name, a HAMT-sharded one through
 * the exporter's resolver (which walks the shards); files, raw blocks and other nodes have no children.
 */
async function step(store: Pick<BlockStore, 'get'>, cid: CID, segments: string[]): Promise<Step> {
  if (cid.code === RAW_CODE) return { found: false };
  const node = decodeBlock(cid, await getBlock(store, cid));
  const type = node.unixfs?.type;
  if (type === 'directory') {
    const link = node.links.find((l) => l.Name === segments[0]);
    return link ? { found: true, cid: link.Hash, consumed: 1 } : { found: false };
  }
  if (type !== 'hamt-sharded-directory') return { found: false };
  try {
    for await (const r of resolvers[DAG_PB_CODE]!(cid, segments, store, {})) {
      if (r.cid.equals(cid)) return { found: false };
      return { found: true, cid: r.cid, consumed: segments.length - r.rest.length };
    }
  } catch (err) {
    if (err instanceof ExporterNotFoundError) return { found: false };
    throw err;
  }
  return { found: false };
}

/** The CIDs along `segments` below `root`, or where the walk stopped. Throws MissingBlockError on a gap in the DAG. */
export async function walkSegments(
  store: Pick<BlockStore, 'get'>,
  root: CID,
  segments: readonly string[],
): Promise<{ roots: CID[]; missing?: string }> {
  const roots = [root];
  let i = 0;
  while (i < segments.length) {
    const cid = roots[roots.length - 1]!;
    assertSupportedCid(cid);
    const next = await step(store, cid, segments.slice(i));
    if (!next.found) return { roots, missing: segments[i]! };
    roots.push(next.cid);
    i += next.consumed;
  }
  return { roots };
}

/** What `segments` name under `root`. Throws MissingBlockError when a needed block is absent. */
export async function resolvePath(store: Pick<BlockStore, 'get'>, root: CID, segments: readonly string[]): Promise<Resolved> {
  const walk = await walkSegments(store, root, segments);
  const roots = walk.roots;
  if (walk.missing !== undefined) return { kind: 'not-found', roots, missing: walk.missing };
  const cid = roots[roots.length - 1]!;
  assertSupportedCid(cid);
  const entry = await exportEntry(store, cid);
  switch (entry.type) {
    case 'file':
    case 'raw':
      return { kind: 'file', cid, roots, size: entry.size, content: (offset, length) => fileContent(store, cid, entry.size, offset, length) };
    case 'directory': {
      const index = await step(store, cid, ['index.html']);
      return { kind: 'directory', cid, roots, indexHtml: index.found ? index.cid : undefined, entries: () => directoryEntries(entry) };
    }
    default:
      throw new ContentError(`${cid.toString()} is a ${entry.type} node, not UnixFS`);
  }
}

/** The file at `/ipfs/{cid}/{path}` (raw path, percent-encoded); throws NotFoundError when the path names no file. */
export async function resolveFile(store: Pick<BlockStore, 'get'>, contentPath: string): Promise<ResolvedFile> {
  const { root, segments } = parseContentPath(contentPath);
  const r = await resolvePath(store, root, segments);
  if (r.kind === 'not-found') throw new NotFoundError(`${contentPath}: no "${r.missing}" under ${r.roots.at(-1)!.toString()}`);
  if (r.kind !== 'file') throw new NotFoundError(`${contentPath} is a directory, not a file`);
  return r;
}
