/**
 * CARv1 in and out. Out: the trustless gateway response for `/ipfs/{cid}/{path}?format=car` (blocks
 * needed to walk the path first, then the terminal entity per `dag-scope`, depth-first, no duplicates:
 * `order=dfs; dups=n`). In: a reader that yields only blocks whose bytes match their CIDs.
 */
import { CarBlockIterator } from '@ipld/car/iterator';
import { CarWriter } from '@ipld/car/writer';
import type { CID } from 'multiformats/cid';
import { MAX_BLOCK_BYTES, assertSupportedCid, blockMatches } from './block.js';
import { getBlock, type BlockStore } from './blockstore.js';
import { decodeBlock, entityChildren } from './dag-node.js';
import { BlockMismatchError, InvalidCarError, NotFoundError } from './errors.js';
import { walkSegments } from './resolve.js';

export type DagScope = 'all' | 'entity' | 'block';

export interface Block {
  cid: CID;
  bytes: Uint8Array;
}

/** Content-Type of what exportCar streams. */
export const CAR_CONTENT_TYPE = 'application/vnd.ipld.car; version=1; order=dfs; dups=n';

/** One block's bytes, for `?format=raw`. Throws MissingBlockError. */
export function rawBlock(store: Pick<BlockStore, 'get'>, cid: CID): Promise<Uint8Array> {
  return getBlock(store, cid);
}

/** Depth-first, pre-order, each block once: the terminal, then what `scope` adds below it. */
async function* scopeBlocks(store: Pick<BlockStore, 'get'>, target: Block, scope: DagScope, seen: Set<string>): AsyncGenerator<Block> {
  const stack: CID[] = [target.cid];
  while (stack.length > 0) {
    const cid = stack.pop()!;
    const key = cid.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    const bytes = cid.equals(target.cid) ? target.bytes : await getBlock(store, cid);
    yield { cid, bytes };
    if (scope === 'block') continue;
    const node = decodeBlock(cid, bytes);
    const children = scope === 'all' ? node.links.map((l) => l.Hash) : entityChildren(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/**
 * The blocks of a trustless CAR for `segments` under `root`. Resolves the path before returning, so a
 * missing path throws NotFoundError and a missing root or path block MissingBlockError up front (HTTP 404
 * before any byte is sent); a block missing deeper ends the stream with MissingBlockError.
 */
export async function carBlocks(
  store: Pick<BlockStore, 'get'>,
  root: CID,
  segments: readonly string[],
  scope: DagScope = 'all',
): Promise<AsyncIterable<Block>> {
  const pathBlocks: Block[] = [];
  const recording: Pick<BlockStore, 'get'> = {
    async *get(cid: CID) {
      const bytes = await getBlock(store, cid);
      pathBlocks.push({ cid, bytes });
      yield bytes;
    },
  };
  assertSupportedCid(root);
  const walk = await walkSegments(recording, root, segments);
  if (walk.missing !== undefined) throw new NotFoundError(`no "${walk.missing}" under ${walk.roots.at(-1)!.toString()}`);
  const targetCid = walk.roots.at(-1)!;
  const target = { cid: targetCid, bytes: await getBlock(store, targetCid) };
  return (async function* () {
    const seen = new Set<string>();
    for (const b of pathBlocks) {
      const key = b.cid.toString();
      if (seen.has(key) || b.cid.equals(targetCid)) continue;
      seen.add(key);
      yield b;
    }
    yield* scopeBlocks(store, target, scope, seen);
  })();
}

/** CARv1 bytes with `roots` in the header and `blocks` in order, streamed with backpressure. */
export async function* carStream(roots: CID[], blocks: AsyncIterable<Block>): AsyncGenerator<Uint8Array> {
  const { writer, out } = CarWriter.create(roots);
  let failure: unknown;
  let stop = false;
  const producing = (async () => {
    try {
      for await (const block of blocks) {
        if (stop) break;
        await writer.put(block);
      }
    } catch (err) {
      failure = err;
    } finally {
      await writer.close();
    }
  })();
  const chunks = out[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (let r = await chunks.next(); !r.done; r = await chunks.next()) yield r.value;
    finished = true;
  } finally {
    if (!finished) {
      // The consumer left early: let the producer notice, and drain what it still writes.
      stop = true;
      for (let r = await chunks.next(); !r.done; r = await chunks.next());
    }
    await producing;
  }
  if (failure !== undefined) throw failure;
}

/** The trustless CAR response for `/ipfs/{root}/{segments}` (`?format=car&dag-scope=…`), header root = `root`. */
export async function exportCar(
  store: Pick<BlockStore, 'get'>,
  root: CID,
  segments: readonly string[] = [],
  scope: DagScope = 'all',
): Promise<AsyncIterable<Uint8Array>> {
  return carStream([root], await carBlocks(store, root, segments, scope));
}

export interface VerifiedCar {
  roots: CID[];
  /** Each block checked against its CID before it is yielded; the first mismatch throws BlockMismatchError. */
  blocks: AsyncIterable<Block>;
}

export type ByteStream = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

async function* asAsync(stream: ByteStream): AsyncGenerator<Uint8Array> {
  yield* stream;
}

/** Opens a CARv1 stream; throws InvalidCarError on a malformed header. */
export async function readVerifiedCar(stream: ByteStream): Promise<VerifiedCar> {
  let car: CarBlockIterator;
  try {
    car = await CarBlockIterator.fromIterable(asAsync(stream));
  } catch (err) {
    throw new InvalidCarError(`malformed CAR header (${(err as Error).message})`);
  }
  const roots = await car.getRoots();
  async function* blocks(): AsyncGenerator<Block> {
    const it = car[Symbol.asyncIterator]();
    for (;;) {
      let r: IteratorResult<{ cid: CID; bytes: Uint8Array }>;
      try {
        r = await it.next();
      } catch (err) {
        throw new InvalidCarError(`malformed CAR section (${(err as Error).message})`);
      }
      if (r.done) return;
      const { cid, bytes } = r.value;
      assertSupportedCid(cid);
      if (bytes.length > MAX_BLOCK_BYTES) throw new InvalidCarError(`block ${cid.toString()} has ${bytes.length} bytes, more than ${MAX_BLOCK_BYTES}`);
      if (!blockMatches(cid, bytes)) throw new BlockMismatchError(cid.toString());
      yield { cid, bytes };
    }
  }
  return { roots, blocks: blocks() };
}

/** The blocks of a CAR stream, each verified against its CID (replication); throws on the first mismatch. */
export async function* verifyCarBlocks(stream: ByteStream): AsyncGenerator<Block> {
  yield* (await readVerifiedCar(stream)).blocks;
}
