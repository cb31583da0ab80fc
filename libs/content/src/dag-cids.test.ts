import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CID } from 'multiformats/cid';
import { DEFAULT_PROFILE } from './profiles.js';
import { importDirectory } from './import.js';
import { cidKey, dagCids } from './dag-cids.js';
import { RAW_CODE } from './block.js';
import { pseudoRandomBytes, utf8 } from './testing/data.js';
import { MemoryStore } from './testing/memory-store.js';

async function site() {
  const store = new MemoryStore();
  const big = pseudoRandomBytes(700_000, 'big');
  const { root } = await importDirectory(
    store,
    [
      { path: 'index.html', content: [utf8('<h1>hi</h1>')] },
      { path: 'assets/big.bin', content: [big] },
      { path: 'assets/same.html', content: [utf8('<h1>hi</h1>')] },
    ],
    DEFAULT_PROFILE,
  );
  return { store, root };
}

test('dagCids lists every block of a DAG once, root first', async () => {
  const { store, root } = await site();
  const cids = await dagCids(store, root);
  assert.equal(cids[0]!.toString(), root.toString());
  assert.deepEqual(cids.map((c) => c.toString()).sort(), [...store.blocks.keys()].sort(), 'exactly the imported blocks (the repeated file once)');
});

test('raw leaves are listed from their links without being read; a missing dag-pb node is an error', async () => {
  const { store, root } = await site();
  const leaves = [...store.blocks.keys()].filter((k) => CID.parse(k).code === RAW_CODE);
  for (const leaf of leaves) store.blocks.delete(leaf);
  assert.equal((await dagCids(store, root)).length, leaves.length + (store.blocks.size as number));
  store.blocks.delete(root.toString());
  await assert.rejects(dagCids(store, root), { name: 'MissingBlockError' });
});

test('cidKey is the same for a CIDv0 and its v1 form, and differs between codecs', async () => {
  const { root } = await site();
  const v1 = root.toV1();
  const v0 = v1.toV0();
  assert.equal(cidKey(v0), cidKey(v1));
  assert.notEqual(cidKey(CID.createV1(RAW_CODE, v1.multihash)), cidKey(v1));
});
