import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { pino } from 'pino';
import { blockMatches, DEFAULT_PROFILE, DiskBlockstore, exportCar, getBlock, importDirectory, RAW_CODE, readVerifiedCar } from '@trucom/content';
import { ReplicaFetcher } from './replica-fetcher.js';

const BIG = new Uint8Array(600_000).map((_, i) => (i * 13) % 251);

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

/** A stand-in for another gateway: answers `GET /ipfs/{root}?format=car…` with `car`, and records what it was asked. */
async function fakeGateway(root: CID, car: Buffer): Promise<{ url: string; server: Server; asked: IncomingHttpHeaders[] }> {
  const asked: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    asked.push(req.headers);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== `/ipfs/${root.toString()}` || url.searchParams.get('format') !== 'car') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/vnd.ipld.car; version=1' }).end(car);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, asked };
}

describe('ReplicaFetcher against peers over HTTP', () => {
  let dir: string;
  let root: CID;
  let dag: { cid: CID; bytes: Uint8Array }[];
  let honestCar: Buffer;
  let tamperedCar: Buffer;
  let tamperedCid: CID;
  const servers: Server[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replica-fetcher-'));
    const source = await DiskBlockstore.open(join(dir, 'source'));
    root = (await importDirectory(source, [{ path: 'index.html', content: [new TextEncoder().encode('<h1>replicated</h1>')] }, { path: 'big.bin', content: [BIG] }], DEFAULT_PROFILE)).root;
    honestCar = await collect(await exportCar(source, root));
    dag = [];
    for await (const b of (await readVerifiedCar([honestCar])).blocks) dag.push(b);
    // Alter one byte in the middle of a data leaf, in the CAR bytes as a peer would send them.
    const leaf = dag.find((b) => b.cid.code === RAW_CODE && b.bytes.length > 100_000)!;
    tamperedCid = leaf.cid;
    const at = honestCar.indexOf(Buffer.from(leaf.bytes));
    assert.ok(at > 0, 'the leaf is in the CAR');
    tamperedCar = Buffer.from(honestCar);
    tamperedCar[at + 5000] ^= 0xff;
  });

  after(async () => {
    for (const s of servers) s.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function target(name: string) {
    const store = await DiskBlockstore.open(join(dir, name, 'blocks'));
    const markerDir = join(dir, name, 'complete');
    return { store, markerDir };
  }

  /** Every block of the DAG that `store` holds has the bytes its CID names. */
  async function assertNoMismatch(store: DiskBlockstore) {
    for (const { cid } of dag) if (await store.has(cid)) assert.ok(blockMatches(cid, await getBlock(store, cid)), `stored block ${cid} matches its CID`);
  }

  test('a CAR with an altered block is refused: nothing counts as held and no mismatching block is stored', async () => {
    const fake = await fakeGateway(root, tamperedCar);
    servers.push(fake.server);
    const { store, markerDir } = await target('a');
    const fetcher = await ReplicaFetcher.open({ store, markerDir, sources: async () => [fake.url], log: pino({ level: 'silent' }) });
    assert.equal(await fetcher.ensureLocal(root), false);
    assert.equal(fetcher.holds(root), false);
    assert.equal(await store.has(tamperedCid), false, 'the altered block is not stored');
    await assertNoMismatch(store);
    assert.deepEqual(await readdir(markerDir), [], 'no completion marker');
    assert.equal(fake.asked.length, 1);
    assert.equal(fake.asked[0]!['cache-control'], 'only-if-cached', 'a replica asks peers for what they hold, never to fetch further');
  });

  test('a CAR of another DAG, or a DAG with blocks missing, is refused too', async () => {
    const other = await DiskBlockstore.open(join(dir, 'other'));
    const otherRoot = (await importDirectory(other, [{ path: 'x.txt', content: [new TextEncoder().encode('other')] }], DEFAULT_PROFILE)).root;
    const wrongRoot = await fakeGateway(root, await collect(await exportCar(other, otherRoot)));
    // the honest CAR cut after its second block: every block sent is valid, the DAG is incomplete
    const cut = honestCar.indexOf(Buffer.from(dag[1]!.bytes)) + dag[1]!.bytes.length;
    assert.ok(dag.length > 2 && cut < honestCar.length);
    const truncated = await fakeGateway(root, honestCar.subarray(0, cut));
    servers.push(wrongRoot.server, truncated.server);
    const { store, markerDir } = await target('b');
    const fetcher = await ReplicaFetcher.open({ store, markerDir, sources: async () => [wrongRoot.url, truncated.url], log: pino({ level: 'silent' }) });
    assert.equal(await fetcher.ensureLocal(root), false);
    assert.equal(fetcher.holds(root), false);
    assert.equal(wrongRoot.asked.length + truncated.asked.length, 2, 'both peers were tried');
    await assertNoMismatch(store);
  });

  test('after a lying peer, the next source is tried and the verified DAG is held', async () => {
    const liar = await fakeGateway(root, tamperedCar);
    const honest = await fakeGateway(root, honestCar);
    servers.push(liar.server, honest.server);
    const { store, markerDir } = await target('c');
    const fetcher = await ReplicaFetcher.open({ store, markerDir, sources: async () => [liar.url, honest.url], log: pino({ level: 'silent' }) });
    assert.equal(await fetcher.ensureLocal(root), true);
    assert.equal(fetcher.holds(root), true);
    for (const { cid, bytes } of dag) assert.deepEqual(await getBlock(store, cid), bytes, `block ${cid} stored as the honest peer sent it`);
    assert.deepEqual(await readdir(markerDir), [root.toV1().toString()]);
    // a new fetcher over the same home knows the root is held (marker on disk)
    const reopened = await ReplicaFetcher.open({ store, markerDir, sources: async () => [], log: pino({ level: 'silent' }) });
    assert.equal(reopened.holds(root), true);
  });

  test('every block of a held DAG is held and names its root, across a reopen and from a marker of an older version', async () => {
    const honest = await fakeGateway(root, honestCar);
    servers.push(honest.server);
    const { store, markerDir } = await target('d');
    const silent = pino({ level: 'silent' });
    const fetcher = await ReplicaFetcher.open({ store, markerDir, sources: async () => [honest.url], log: silent });
    const leaf = dag.find((b) => b.cid.code === RAW_CODE)!.cid;
    assert.equal(fetcher.holds(leaf), false, 'nothing held yet');
    assert.equal(await fetcher.ensureLocal(root), true);
    for (const { cid } of dag) {
      assert.equal(fetcher.holds(cid), true, `block ${cid} is held`);
      assert.deepEqual(fetcher.rootsHolding(cid).map(String), [root.toV1().toString()]);
    }
    assert.deepEqual(fetcher.rootsHolding(CID.createV1(RAW_CODE, await sha256.digest(new TextEncoder().encode('elsewhere')))), [], 'a CID of no held DAG');
    const marker = join(markerDir, root.toV1().toString());
    assert.equal((await readFile(marker, 'utf8')).trim().split('\n').length, dag.length, 'the marker lists the DAG');

    const reopened = await ReplicaFetcher.open({ store, markerDir, sources: async () => [], log: silent });
    assert.deepEqual(reopened.rootsHolding(leaf).map(String), [root.toV1().toString()]);
    await writeFile(marker, ''); // as versions before the index wrote it
    const upgraded = await ReplicaFetcher.open({ store, markerDir, sources: async () => [], log: silent });
    assert.deepEqual(upgraded.rootsHolding(leaf).map(String), [root.toV1().toString()], 'the DAG was listed from the store');
    assert.equal((await readFile(marker, 'utf8')).trim().split('\n').length, dag.length, 'and the marker rewritten');
    await writeFile(join(markerDir, 'not-a-cid'), 'garbage\n');
    const withStray = await ReplicaFetcher.open({ store, markerDir, sources: async () => [], log: silent });
    assert.equal(withStray.holds(leaf), true, 'a stray file in the marker folder is ignored, not fatal');
  });
});
