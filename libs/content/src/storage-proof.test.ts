import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decode as decodeDagPb, encode as encodeDagPb, prepare } from '@ipld/dag-pb';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { importer, type ImporterOptions } from 'ipfs-unixfs-importer';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { sha256 } from '@noble/hashes/sha2.js';
import { MAX_PROOF_DEPTH, buildStorageProof, verifyStorageProof } from './storage-proof.js';
import { pseudoRandomBytes, utf8 } from './testing/data.js';
import { MemoryStore } from './testing/memory-store.js';

const DAG_PB = 0x70;
const RAW = 0x55;

/** Small chunks and a narrow DAG so a 20 KiB file has 20 leaves three levels down. */
const NARROW: ImporterOptions = {
  cidVersion: 1,
  rawLeaves: true,
  chunker: fixedSize({ chunkSize: 1024 }),
  layout: balanced({ maxChildrenPerNode: 4 }),
};

async function importAll(store: MemoryStore, files: { path: string; content: Uint8Array }[], opts: ImporterOptions): Promise<CID> {
  let root: CID | undefined;
  for await (const entry of importer(files, store, { ...opts, wrapWithDirectory: files.length > 1 || files[0]!.path.includes('/') })) root = entry.cid;
  return root!;
}

const seed = (n: number) => utf8(`seed-${n}`);
const dagPbCid = (bytes: Uint8Array) => CID.createV1(DAG_PB, Digest.create(0x12, sha256(bytes)));

async function fileFixture() {
  const store = new MemoryStore();
  const root = await importAll(store, [{ path: 'f.bin', content: pseudoRandomBytes(20 * 1024 + 100) }], NARROW);
  return { store, root: root.toString(), get: (cid: CID) => store.bytes(cid) };
}

async function dirFixture() {
  const store = new MemoryStore();
  const files = [
    { path: 'site/index.html', content: utf8('<h1>hi</h1>') },
    { path: 'site/assets/app.js', content: pseudoRandomBytes(5000, 'app') },
    { path: 'site/assets/img/logo.png', content: pseudoRandomBytes(9000, 'logo') },
    { path: 'site/docs/a/b/c/deep.txt', content: pseudoRandomBytes(3000, 'deep') },
  ];
  const root = await importAll(store, files, NARROW);
  return { store, root: root.toString(), get: (cid: CID) => store.bytes(cid) };
}

/** A seed whose challenge reaches a different leaf than `seed(0)`. */
async function otherSeed(root: string, get: (cid: CID) => Promise<Uint8Array>, leaf: string): Promise<Uint8Array> {
  for (let n = 1; n < 100; n++) {
    const proof = await buildStorageProof(root, seed(n), get);
    const r = verifyStorageProof(root, seed(n), proof);
    if (r.ok && r.leaf !== leaf) return seed(n);
  }
  throw new Error('no seed reaches another leaf');
}

function assertFails(r: ReturnType<typeof verifyStorageProof>, pattern: RegExp): void {
  assert.equal(r.ok, false, 'proof should fail');
  if (!r.ok) assert.match(r.reason, pattern);
}

describe('storage proof', () => {
  test('an honest proof verifies for a multi-chunk file, root first and ending at a raw leaf', async () => {
    const { root, get } = await fileFixture();
    const proof = await buildStorageProof(root, seed(0), get);
    const r = verifyStorageProof(root, seed(0), proof);
    assert.ok(r.ok, !r.ok ? r.reason : '');
    assert.equal(r.depth, proof.length - 1);
    assert.equal(r.depth, 3);
    assert.equal(CID.parse(r.leaf).code, RAW);
    assert.equal(dagPbCid(proof[0]!).toString(), root);
  });

  test('an honest proof verifies for a nested directory', async () => {
    const { root, get } = await dirFixture();
    for (let n = 0; n < 8; n++) {
      const proof = await buildStorageProof(CID.parse(root), seed(n), get);
      const r = verifyStorageProof(root, seed(n), proof);
      assert.ok(r.ok, !r.ok ? r.reason : '');
      assert.ok(r.depth >= 2, 'goes through the site directory and at least one more level');
    }
  });

  test('different seeds reach different leaves', async () => {
    const { root, get } = await fileFixture();
    const leaves = new Set<string>();
    for (let n = 0; n < 40; n++) {
      const r = verifyStorageProof(root, seed(n), await buildStorageProof(root, seed(n), get));
      assert.ok(r.ok);
      leaves.add(r.leaf);
    }
    assert.ok(leaves.size >= 10, `only ${leaves.size} distinct leaves`);
  });

  test('a proof for one seed fails for another seed', async () => {
    const { root, get } = await fileFixture();
    const proof = await buildStorageProof(root, seed(0), get);
    const first = verifyStorageProof(root, seed(0), proof);
    assert.ok(first.ok);
    const other = await otherSeed(root, get, first.leaf);
    assertFails(verifyStorageProof(root, other, proof), /^step \d+: block does not hash to /);
  });

  test('a truncated proof fails', async () => {
    const { root, get } = await fileFixture();
    const proof = await buildStorageProof(root, seed(0), get);
    assertFails(verifyStorageProof(root, seed(0), proof.slice(0, -1)), /^step 2: .* has links but the proof ends there/);
    assertFails(verifyStorageProof(root, seed(0), []), /no block/);
  });

  test('an extra block after the leaf fails', async () => {
    const { root, get } = await fileFixture();
    const proof = await buildStorageProof(root, seed(0), get);
    assertFails(verifyStorageProof(root, seed(0), [...proof, proof.at(-1)!]), /^step 3: .* is a leaf but 1 more block\(s\) follow/);
  });

  test('a tampered leaf fails', async () => {
    const { root, get } = await fileFixture();
    const proof = await buildStorageProof(root, seed(0), get);
    const leaf = proof.at(-1)!.slice();
    leaf[0] = leaf[0]! ^ 1;
    assertFails(verifyStorageProof(root, seed(0), [...proof.slice(0, -1), leaf]), /^step 3: block does not hash/);
  });

  test('a tampered node fails', async () => {
    const { root, get } = await fileFixture();
    const proof = await buildStorageProof(root, seed(0), get);
    const node = proof[1]!.slice();
    node[node.length - 1] = node[node.length - 1]! ^ 1;
    assertFails(verifyStorageProof(root, seed(0), [proof[0]!, node, ...proof.slice(2)]), /^step 1: block does not hash/);
  });

  test('a proof down a sibling link fails', async () => {
    const { root, get } = await fileFixture();
    const proof = await buildStorageProof(root, seed(0), get);
    const rootNode = decodeDagPb(proof[0]!);
    const chosen = dagPbCid(proof[1]!).toString();
    const sibling = rootNode.Links.find((l) => l.Hash.toString() !== chosen)!;
    const siblingProof = await buildStorageProof(sibling.Hash, seed(0), get);
    assertFails(verifyStorageProof(root, seed(0), [proof[0]!, ...siblingProof]), /^step 1: block does not hash/);
  });

  test('a non-sha256 root or link fails', async () => {
    const bytes = utf8('leaf');
    const blake = CID.createV1(RAW, Digest.create(0xb220, new Uint8Array(32)));
    assertFails(verifyStorageProof(blake.toString(), seed(0), [bytes]), /^step 0: CID .* is not sha2-256/);

    const sha512Link = CID.createV1(RAW, Digest.create(0x13, new Uint8Array(64)));
    const node = encodeDagPb(prepare({ Links: [{ Hash: sha512Link, Tsize: 4 }] }));
    assertFails(verifyStorageProof(dagPbCid(node).toString(), seed(0), [node, bytes]), /^step 1: CID .* is not sha2-256/);
    assertFails(verifyStorageProof('not-a-cid', seed(0), [bytes]), /not a CID/);
  });

  test('malformed dag-pb bytes fail even when they hash to the CID', () => {
    const garbage = utf8('this is not protobuf \xff\xff');
    assertFails(verifyStorageProof(dagPbCid(garbage).toString(), seed(0), [garbage]), /^step 0: malformed dag-pb node/);
  });

  test('links without Tsize are walked by the seed-and-depth rule', async () => {
    const leaves = [0, 1, 2, 3, 4].map((i) => utf8(`leaf ${i}`));
    const leafCids = leaves.map((b) => CID.createV1(RAW, Digest.create(0x12, sha256(b))));
    const node = encodeDagPb(prepare({ Links: leafCids.map((Hash) => ({ Hash })) }));
    const root = dagPbCid(node).toString();
    const blocks = new Map<string, Uint8Array>([[root, node], ...leafCids.map((c, i) => [c.toString(), leaves[i]!] as const)]);
    const get = async (cid: CID) => blocks.get(cid.toString())!;
    const reached = new Set<string>();
    for (let n = 0; n < 20; n++) {
      const proof = await buildStorageProof(root, seed(n), get);
      const r = verifyStorageProof(root, seed(n), proof);
      assert.ok(r.ok && r.depth === 1);
      reached.add(r.leaf);
    }
    assert.ok(reached.size >= 3);
  });

  test('a single-block root is its own leaf, and an over-deep proof is refused', async () => {
    const bytes = utf8('tiny');
    const raw = CID.createV1(RAW, Digest.create(0x12, sha256(bytes)));
    assert.deepEqual(verifyStorageProof(raw.toString(), seed(0), [bytes]), { ok: true, leaf: raw.toString(), depth: 0 });
    const tooMany = Array.from({ length: MAX_PROOF_DEPTH + 2 }, () => bytes);
    assertFails(verifyStorageProof(raw.toString(), seed(0), tooMany), /more than 33/);
  });

  test('the builder refuses a corrupt block from its store', async () => {
    const { root, get } = await fileFixture();
    const corrupt = async (cid: CID) => {
      const b = (await get(cid)).slice();
      if (cid.code === RAW) b[0] = b[0]! ^ 1;
      return b;
    };
    await assert.rejects(buildStorageProof(root, seed(0), corrupt), { name: 'BlockMismatchError' });
  });
});
