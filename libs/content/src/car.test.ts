import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CarWriter } from '@ipld/car/writer';
import type { CID } from 'multiformats/cid';
import { blockMatches } from './block.js';
import { carBlocks, carStream, exportCar, rawBlock, verifyCarBlocks, type Block, type ByteStream } from './car.js';
import { importCar } from './import-car.js';
import { resolveFile, resolvePath } from './resolve.js';
import { collect, pseudoRandomBytes, utf8 } from './testing/data.js';
import { MemoryStore } from './testing/memory-store.js';
import { importShardedDirectory, importSite } from './testing/sites.js';

const site = () =>
  importSite({
    'index.html': utf8('<h1>home</h1>'),
    'media/video.bin': pseudoRandomBytes(700_000, 'video'),
    'media/thumb.png': pseudoRandomBytes(1000, 'thumb'),
    'media/sub/deep.txt': utf8('deep'),
  });

async function blocksOf(car: ByteStream): Promise<Block[]> {
  const out: Block[] = [];
  for await (const b of verifyCarBlocks(car)) out.push(b);
  return out;
}

async function carOf(roots: CID[], blocks: Block[]): Promise<Uint8Array> {
  return collect(carStream(roots, (async function* () { yield* blocks; })()));
}

const cids = (blocks: Block[]) => blocks.map((b) => b.cid.toString());

describe('CAR export', () => {
  test('dag-scope=all is the whole DAG once, depth-first from the root, and re-imports to the same root and bytes', async () => {
    const { store, root, size, blocks, files } = await site();
    const car = await collect(await exportCar(store, root));
    const got = await blocksOf([car]);
    assert.equal(got.length, blocks);
    assert.equal(got[0]!.cid.toString(), root.toString());
    assert.equal(new Set(cids(got)).size, got.length, 'no duplicates');
    for (const b of got) assert.ok(blockMatches(b.cid, b.bytes));

    const copy = new MemoryStore();
    const imported = await importCar(copy, [car]);
    assert.equal(imported.root.toString(), root.toString());
    assert.equal(imported.size, size);
    assert.equal(imported.blocks, blocks);
    const video = await resolveFile(copy, `/ipfs/${root}/media/video.bin`);
    assert.deepEqual(await collect(video.content()), files['media/video.bin']);
  });

  test('a path CAR starts with the blocks that walk the path, then the entity', async () => {
    const { store, root } = await site();
    const media = await resolvePath(store, root, ['media']);
    const video = await resolvePath(store, root, ['media', 'video.bin']);
    assert.ok(media.kind === 'directory' && video.kind === 'file');

    const all = await blocksOf(await exportCar(store, root, ['media', 'video.bin'], 'all'));
    assert.deepEqual(cids(all).slice(0, 3), [root.toString(), media.cid.toString(), video.cid.toString()]);
    assert.equal(all.length, 3 + 3, 'root, media, the file node and its three raw leaves');

    const entity = await blocksOf(await exportCar(store, root, ['media', 'video.bin'], 'entity'));
    assert.deepEqual(cids(entity), cids(all), 'a file entity is all of the file');

    const block = await blocksOf(await exportCar(store, root, ['media', 'video.bin'], 'block'));
    assert.deepEqual(cids(block), cids(all).slice(0, 3));

    const dirEntity = await blocksOf(await exportCar(store, root, ['media'], 'entity'));
    assert.deepEqual(cids(dirEntity), [root.toString(), media.cid.toString()], 'a directory entity is its own block');
    const dirAll = await blocksOf(await exportCar(store, root, ['media'], 'all'));
    assert.ok(dirAll.length > dirEntity.length);
  });

  test('a HAMT directory entity is its shard blocks, without the entries', async () => {
    const { store, root } = await importShardedDirectory('big', 100);
    const entity = await blocksOf(await exportCar(store, root, ['big'], 'entity'));
    const all = await blocksOf(await exportCar(store, root, ['big'], 'all'));
    assert.ok(entity.length > 2, 'the shard root and sub-shards');
    assert.equal(all.length, entity.length + 100);
  });

  test('a missing path or root fails before streaming; a raw block is served by CID', async () => {
    const { store, root } = await site();
    await assert.rejects(exportCar(store, root, ['nope']), { name: 'NotFoundError' });
    await assert.rejects(exportCar(new MemoryStore(), root), { name: 'MissingBlockError' });
    assert.deepEqual(await rawBlock(store, root), await store.bytes(root));
  });

  test('a consumer that stops early does not leave the writer hanging', async () => {
    const { store, root } = await site();
    for await (const _ of await exportCar(store, root)) break;
    const blocks = await carBlocks(store, root, []);
    let n = 0;
    for await (const _ of blocks) if (++n === 2) break;
    assert.equal(n, 2);
  });
});

describe('CAR import and verification', () => {
  test('a tampered block is refused with BlockMismatchError', async () => {
    const { store, root } = await site();
    const good = await blocksOf(await exportCar(store, root));
    const bad = good.map((b, i) => (i === 2 ? { cid: b.cid, bytes: Uint8Array.from(b.bytes, (x, j) => (j === 0 ? x ^ 1 : x)) } : b));
    const car = await carOf([root], bad);
    await assert.rejects(blocksOf([car]), { name: 'BlockMismatchError' });
    await assert.rejects(importCar(new MemoryStore(), [car]), { name: 'BlockMismatchError' });
    let yielded = 0;
    await assert.rejects(async () => {
      for await (const _ of verifyCarBlocks([car])) yielded++;
    });
    assert.equal(yielded, 2, 'blocks before the tampered one are yielded, the tampered one is not');
  });

  test('an incomplete DAG is refused with InvalidCarError', async () => {
    const { store, root } = await site();
    const good = await blocksOf(await exportCar(store, root));
    const car = await carOf([root], good.slice(0, -1));
    await assert.rejects(importCar(new MemoryStore(), [car]), (err: Error) => err.name === 'InvalidCarError' && /incomplete DAG/.test(err.message));
  });

  test('blocks already in the store complete a CAR', async () => {
    const { store, root, size } = await site();
    const good = await blocksOf(await exportCar(store, root));
    const target = new MemoryStore();
    const last = good.at(-1)!;
    await target.put(last.cid, last.bytes);
    const imported = await importCar(target, [await carOf([root], good.slice(0, -1))]);
    assert.equal(imported.size, size);
  });

  test('a CAR needs exactly one root, and a well-formed header', async () => {
    const { store, root } = await site();
    const good = await blocksOf(await exportCar(store, root));
    await assert.rejects(importCar(new MemoryStore(), [await carOf([], good)]), { name: 'InvalidCarError' });
    await assert.rejects(importCar(new MemoryStore(), [await carOf([root, good[1]!.cid], good)]), { name: 'InvalidCarError' });
    await assert.rejects(importCar(new MemoryStore(), [utf8('not a car at all')]), { name: 'InvalidCarError' });
  });

  test('a truncated CAR stream is refused', async () => {
    const { store, root } = await site();
    const car = await collect(await exportCar(store, root));
    await assert.rejects(importCar(new MemoryStore(), [car.subarray(0, car.length - 100)]), { name: 'InvalidCarError' });
  });

  test('a CAR written by @ipld/car itself imports', async () => {
    const { store, root, size } = await site();
    const { writer, out } = CarWriter.create([root]);
    const bytes = collect(out);
    for (const b of await blocksOf(await exportCar(store, root))) await writer.put(b);
    await writer.close();
    assert.equal((await importCar(new MemoryStore(), [await bytes])).size, size);
  });
});
