import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from 'multiformats/hashes/sha2';
import * as raw from 'multiformats/codecs/raw';
import { CID } from 'multiformats/cid';
import { BlockCache } from './block-cache.js';
import { MissingBlockError } from './errors.js';
import { fileBytes, fileContent } from './export.js';
import { importFile } from './import.js';
import { CID_PROFILES, DEFAULT_PROFILE } from './profiles.js';
import { exportEntry } from './export.js';
import { Lru } from './lru.js';
import { collect, pseudoRandomBytes, utf8 } from './testing/data.js';
import { MemoryStore } from './testing/memory-store.js';
import { tempDiskStore } from './testing/tmp-store.js';

const rawCid = async (bytes: Uint8Array) => CID.createV1(raw.code, await sha256.digest(bytes));

describe('Lru', () => {
  test('keeps the most recently used entries within the weight bound', () => {
    const lru = new Lru<string>(10, (v) => v.length);
    lru.set('a', 'xxxx');
    lru.set('b', 'xxxx');
    assert.equal(lru.get('a'), 'xxxx'); // a is now the most recent
    lru.set('c', 'xxxx'); // 12 > 10: b goes
    assert.equal(lru.get('b'), undefined);
    assert.deepEqual([lru.get('a'), lru.get('c'), lru.weight, lru.size], ['xxxx', 'xxxx', 8, 2]);
    lru.set('huge', 'x'.repeat(11)); // heavier than the whole cache: not kept, nothing evicted
    assert.deepEqual([lru.get('huge'), lru.size], [undefined, 2]);
    lru.set('a', 'xx'); // replacing re-weighs
    assert.equal(lru.weight, 6);
    lru.delete('a');
    assert.deepEqual([lru.get('a'), lru.weight], [undefined, 4]);
  });
});

describe('BlockCache', () => {
  test('serves blocks from memory after the first read, up to its byte bound; misses are not remembered', async () => {
    const store = new MemoryStore();
    const blocks = await Promise.all(['one', 'two', 'three'].map(async (s) => ({ cid: await rawCid(utf8(s.repeat(10))), bytes: utf8(s.repeat(10)) })));
    for (const b of blocks) await store.put(b.cid, b.bytes);
    let reads = 0;
    const counting = { get: (cid: CID) => (reads++, store.get(cid)) };
    const cache = new BlockCache(counting, { maxBytes: 60, maxBlockBytes: 40 });
    assert.deepEqual(await cache.getBytes(blocks[0]!.cid), blocks[0]!.bytes);
    assert.deepEqual(await collect(cache.get(blocks[0]!.cid)), blocks[0]!.bytes);
    assert.equal(reads, 1);
    await cache.getBytes(blocks[1]!.cid); // 30 + 30 bytes: both fit
    await cache.getBytes(blocks[2]!.cid); // 50 bytes > maxBlockBytes: read through, never kept
    await cache.getBytes(blocks[2]!.cid);
    assert.deepEqual([reads, cache.bytes], [4, 60]);

    const absent = await rawCid(utf8('later'));
    await assert.rejects(cache.getBytes(absent), MissingBlockError);
    await store.put(absent, utf8('later'));
    assert.deepEqual(await cache.getBytes(absent), utf8('later'));
  });

  test('uses a store’s whole-block read when it has one (DiskBlockstore.getBytes)', async () => {
    const { store, cleanup } = await tempDiskStore();
    try {
      const bytes = pseudoRandomBytes(300_000, 'whole');
      const cid = await rawCid(bytes);
      await store.put(cid, bytes);
      const cache = new BlockCache(store);
      assert.deepEqual(await cache.getBytes(cid), bytes);
      await assert.rejects(store.getBytes(await rawCid(utf8('absent'))), MissingBlockError);
    } finally {
      await cleanup();
    }
  });
});

describe('fileContent and fileBytes', () => {
  for (const [label, size] of [['a single raw block', 1000], ['a file of several chunks', 700_000], ['an empty file', 0]] as const) {
    test(`${label}: the exporter's bytes, whole and by ranges`, async () => {
      const store = new MemoryStore();
      const bytes = pseudoRandomBytes(size, label);
      const { root } = await importFile(store, [bytes], DEFAULT_PROFILE);
      const entry = await exportEntry(store, root);
      assert.ok(entry.type === 'file' || entry.type === 'raw');
      assert.deepEqual(await collect(entry.content()), bytes, 'the exporter agrees with the source');
      assert.deepEqual(await collect(fileContent(store, root, BigInt(size))), bytes);
      for (const [offset, length] of [[0, 1], [1, 262_143], [262_143, 2], [262_144, 262_144], [500_000, 300_000], [size, 5]] as const) {
        if (offset > size) continue;
        const got = await collect(fileContent(store, root, BigInt(size), BigInt(offset), BigInt(length)));
        assert.deepEqual(got, bytes.subarray(offset, Math.min(size, offset + length)), `range ${offset}+${length}`);
      }
      assert.deepEqual(await fileBytes(store, root, size), bytes);
    });
  }

  test('a range reads only the blocks it covers', async () => {
    const store = new MemoryStore();
    const bytes = pseudoRandomBytes(1_000_000, 'skip');
    const { root } = await importFile(store, [bytes], DEFAULT_PROFILE);
    const read: string[] = [];
    const counting = { get: (c: CID) => store.get(c), getBytes: (c: CID) => (read.push(c.toString()), store.bytes(c)) };
    assert.deepEqual(await collect(fileContent(counting, root, 1_000_000n, 600_000n, 10n)), bytes.subarray(600_000, 600_010));
    assert.equal(read.length, 2, 'the root and the one leaf holding bytes 600000-600009');
  });

  test('a size that does not match the DAG, or an offset past the end, is an error', async () => {
    const store = new MemoryStore();
    const { root } = await importFile(store, [pseudoRandomBytes(600_000, 'size')], CID_PROFILES['cidv1-256k-174']);
    await assert.rejects(fileBytes(store, root, 500_000), /holds 600000 bytes, not 500000/);
    await assert.rejects(fileBytes(store, root, 700_000), /holds 600000 bytes, not 700000/);
    await assert.rejects(collect(fileContent(store, root, 600_000n, 600_001n)), { name: 'InvalidRangeError' });
  });
});
