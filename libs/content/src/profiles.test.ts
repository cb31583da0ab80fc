import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { importer, type ImportCandidate, type ImporterOptions } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { CID_PROFILES, DEFAULT_PROFILE, importerOptions, profileByName } from './profiles.js';
import { importDirectory, importFile } from './import.js';
import { UnknownProfileError } from './errors.js';
import { pseudoRandomBytes, streamOf, utf8 } from './testing/data.js';
import { MemoryStore } from './testing/memory-store.js';

async function lastCid(candidates: ImportCandidate[], options: ImporterOptions): Promise<string> {
  let cid = '';
  for await (const e of importer(candidates, new MemoryStore(), options)) cid = e.cid.toString();
  return cid;
}

/** What `ipfs add --cid-version=1` does, spelled out with the importer's own options. */
const KUBO_CIDV1: ImporterOptions = {
  cidVersion: 1,
  rawLeaves: true,
  chunker: fixedSize({ chunkSize: 262_144 }),
  layout: balanced({ maxChildrenPerNode: 174 }),
};

describe('CID profiles', () => {
  test('profileByName knows the default and IPIP-499 profiles and names the known ones otherwise', () => {
    assert.equal(profileByName('cidv1-256k-174'), DEFAULT_PROFILE);
    assert.equal(profileByName('unixfs-v1-2025').chunkSize, 1_048_576);
    assert.equal(profileByName('unixfs-v1-2025').maxChildrenPerNode, 1024);
    assert.throws(() => profileByName('cidv0'), (err: Error) => err instanceof UnknownProfileError && /cidv1-256k-174, unixfs-v1-2025/.test(err.message));
    assert.throws(() => profileByName('toString'), UnknownProfileError);
  });

  test('importerOptions gives a fresh object each call (the importer mutates it)', () => {
    assert.notEqual(importerOptions(DEFAULT_PROFILE), importerOptions(DEFAULT_PROFILE));
  });

  test('known kubo --cid-version=1 CIDs: empty file, "hello world", empty directory', async () => {
    const store = new MemoryStore();
    assert.equal((await importFile(store, [], DEFAULT_PROFILE)).root.toString(), 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku');
    assert.equal((await importFile(store, [utf8('hello world')], DEFAULT_PROFILE)).root.toString(), 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e');
    assert.equal((await importDirectory(store, [], DEFAULT_PROFILE)).root.toString(), 'bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354');
  });

  test('the default profile gives the same CIDs as the importer set up like kubo --cid-version=1', async () => {
    const big = pseudoRandomBytes(5 * 262_144 + 123, 'big');
    const ours = await importFile(new MemoryStore(), streamOf(big), DEFAULT_PROFILE);
    assert.equal(ours.root.toString(), await lastCid([{ content: big }], KUBO_CIDV1));
    assert.equal(ours.size, BigInt(big.length));
    assert.equal(ours.blocks, 6 + 1, 'six raw leaves and one root');

    const files = [
      { path: 'index.html', content: utf8('<p>hi</p>') },
      { path: 'a/b/data.bin', content: big },
    ];
    const dir = await importDirectory(new MemoryStore(), files.map((f) => ({ path: f.path, content: [f.content] })), DEFAULT_PROFILE);
    assert.equal(dir.root.toString(), await lastCid(files, { ...KUBO_CIDV1, wrapWithDirectory: true }));
  });

  test('unixfs-v1-2025 gives the same CIDs as the importer with profile "unixfs-v1-2025"', async () => {
    const data = pseudoRandomBytes(2 * 1_048_576 + 7, 'v1-2025');
    const ours = await importFile(new MemoryStore(), streamOf(data), CID_PROFILES['unixfs-v1-2025']);
    assert.equal(ours.root.toString(), await lastCid([{ content: data }], { profile: 'unixfs-v1-2025' }));
    assert.notEqual(ours.root.toString(), (await importFile(new MemoryStore(), [data], DEFAULT_PROFILE)).root.toString());
  });
});
