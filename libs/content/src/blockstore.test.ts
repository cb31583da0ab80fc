import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256, sha512 } from 'multiformats/hashes/sha2';
import * as raw from 'multiformats/codecs/raw';
import { CID } from 'multiformats/cid';
import type { DiskBlockstore } from './blockstore.js';
import { BlockMismatchError, MissingBlockError, UnsupportedCidError } from './errors.js';
import { collect, pseudoRandomBytes, streamOf, utf8 } from './testing/data.js';
import { tempDiskStore } from './testing/tmp-store.js';

const rawCid = async (bytes: Uint8Array) => CID.createV1(raw.code, await sha256.digest(bytes));

describe('DiskBlockstore', () => {
  let store: DiskBlockstore;
  let cleanup: () => Promise<void>;
  before(async () => ({ store, cleanup } = await tempDiskStore()));
  after(() => cleanup());

  test('puts, has and gets a block; a missing block is MissingBlockError', async () => {
    const bytes = utf8('block one');
    const cid = await rawCid(bytes);
    assert.equal(await store.has(cid), false);
    await assert.rejects(store.getBytes(cid), MissingBlockError);
    await store.put(cid, bytes);
    assert.equal(await store.has(cid), true);
    assert.deepEqual(await store.getBytes(cid), bytes);
  });

  test('puts from a stream and reads back in pieces', async () => {
    const bytes = pseudoRandomBytes(1_000_000, 'stream');
    const cid = await rawCid(bytes);
    await store.put(cid, streamOf(bytes, 10_000));
    let pieces = 0;
    for await (const _ of store.get(cid)) pieces++;
    assert.ok(pieces > 1, 'the block is streamed from disk, not read in one piece');
    assert.deepEqual(await collect(store.get(cid)), bytes);
  });

  test('putVerified stores matching bytes and refuses the rest', async () => {
    const bytes = utf8('verified');
    const cid = await rawCid(bytes);
    await store.putVerified(cid, bytes);
    assert.deepEqual(await store.getBytes(cid), bytes);

    const other = await rawCid(utf8('other'));
    await assert.rejects(store.putVerified(other, bytes), (err: Error) => err instanceof BlockMismatchError && err.message.includes(other.toString()));
    assert.equal(await store.has(other), false);

    const sha512Cid = CID.createV1(raw.code, await sha512.digest(bytes));
    await assert.rejects(store.putVerified(sha512Cid, bytes), UnsupportedCidError);
    const cborCid = CID.createV1(0x71 /* dag-cbor */, await sha256.digest(bytes));
    await assert.rejects(store.putVerified(cborCid, bytes), UnsupportedCidError);
  });

  test('delete removes a block', async () => {
    const bytes = utf8('to delete');
    const cid = await rawCid(bytes);
    await store.put(cid, bytes);
    await store.delete(cid);
    assert.equal(await store.has(cid), false);
  });
});
