import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CID } from 'multiformats/cid';
import { DEFAULT_PROFILE, DiskBlockstore, importDirectory, readVerifiedCar } from '@trucom/content';
import { ContentGateway, type GatewayRequest, type PaymentVerdict } from './content-gateway.js';
import type { GatewayResponse } from './responses.js';

const enc = (s: string) => new TextEncoder().encode(s);
const BIG = new Uint8Array(700_000).map((_, i) => (i * 7) % 251);

async function body(r: GatewayResponse): Promise<Uint8Array> {
  if (r.body === undefined) return new Uint8Array();
  if (typeof r.body === 'string') return enc(r.body);
  if (r.body instanceof Uint8Array) return r.body;
  const parts: Uint8Array[] = [];
  for await (const c of r.body) parts.push(c);
  return new Uint8Array(Buffer.concat(parts));
}
const text = async (r: GatewayResponse) => new TextDecoder().decode(await body(r));
const get = (url: string, headers: GatewayRequest['headers'] = {}, host?: string): GatewayRequest => ({ method: 'GET', url, headers, host });

describe('ContentGateway', () => {
  let dir: string;
  let site: CID;
  let plain: CID;
  let unpaid: CID;
  let broken: CID;
  let gw: ContentGateway;
  const fetched: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gw-'));
    const store = await DiskBlockstore.open(join(dir, 'blocks'));
    site = (
      await importDirectory(
        store,
        [
          { path: 'index.html', content: [enc('<!doctype html><h1>home</h1>')] },
          { path: 'about/index.html', content: [enc('<p>about</p>')] },
          { path: 'assets/app.js', content: [enc('console.log(1)')] },
          { path: 'video/big.bin', content: [BIG] },
          { path: '_redirects', content: [enc('/old /about/ 301\n/* /index.html 200\n')] },
        ],
        DEFAULT_PROFILE,
      )
    ).root;
    plain = (await importDirectory(store, [{ path: 'a.txt', content: [enc('hello world')] }, { path: 'b/c.txt', content: [enc('c')] }], DEFAULT_PROFILE)).root;
    broken = (await importDirectory(store, [{ path: '_redirects', content: [enc('/a\n')] }], DEFAULT_PROFILE)).root;
    unpaid = (await importDirectory(store, [{ path: 'x.txt', content: [enc('x')] }], DEFAULT_PROFILE)).root;
    const verdicts = new Map<string, PaymentVerdict>([
      [site.toString(), { kind: 'paid', dealId: '1' }],
      [plain.toString(), { kind: 'paid', dealId: '2' }],
      [broken.toString(), { kind: 'paid', dealId: '4' }],
      [unpaid.toString(), { kind: 'unpaid', dealId: '3', reason: 'deal 3 expired at epoch 9' }],
    ]);
    const sites = new Map(Object.entries({ blog: site, plain, broken, lapsed: unpaid }).map(([name, root]) => [name, { root }]));
    gw = new ContentGateway({
      blocks: store,
      verdict: async (cid) => verdicts.get(cid.toString()) ?? { kind: 'unknown' },
      siteRoot: async (name) => sites.get(name),
      holds: () => true,
      ensureLocal: async (root) => {
        fetched.push(root.toString());
        return true;
      },
    });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a file by path, with the path gateway headers', async () => {
    const r = await gw.handle(get(`/ipfs/${plain}/a.txt`));
    assert.equal(r.status, 200);
    assert.equal(await text(r), 'hello world');
    assert.equal(r.headers['cache-control'], 'public, max-age=29030400, immutable');
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(r.headers['content-length'], '11');
    assert.equal(r.headers['x-ipfs-path'], `/ipfs/${plain}/a.txt`);
    assert.equal(r.headers['x-ipfs-roots']!.split(',').length, 2);
    assert.match(r.headers.etag!, /^"bafk/);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.dealId, '2');
    assert.ok(fetched.includes(plain.toString()), 'the gateway made the DAG local first');
  });

  test('HEAD, If-None-Match and ranges', async () => {
    const head = await gw.handle({ ...get(`/ipfs/${site}/video/big.bin`), method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body, undefined);
    assert.equal(head.headers['content-length'], String(BIG.length));
    const cached = await gw.handle(get(`/ipfs/${site}/video/big.bin`, { 'if-none-match': head.headers.etag }));
    assert.equal(cached.status, 304);
    const part = await gw.handle(get(`/ipfs/${site}/video/big.bin`, { range: 'bytes=262140-262150' }));
    assert.equal(part.status, 206);
    assert.equal(part.headers['content-range'], `bytes 262140-262150/${BIG.length}`);
    assert.deepEqual(await body(part), BIG.subarray(262140, 262151));
    const tail = await gw.handle(get(`/ipfs/${site}/video/big.bin`, { range: 'bytes=-5' }));
    assert.deepEqual(await body(tail), BIG.subarray(BIG.length - 5));
    const whole = await gw.handle(get(`/ipfs/${site}/video/big.bin`));
    assert.deepEqual(await body(whole), BIG);
    const bad = await gw.handle(get(`/ipfs/${site}/video/big.bin`, { range: `bytes=${BIG.length}-` }));
    assert.equal(bad.status, 416);
    assert.equal(bad.headers['content-range'], `bytes */${BIG.length}`);
  });

  test('directories: 301 to the slash form, index.html, generated listing', async () => {
    const r = await gw.handle(get(`/ipfs/${plain}/b?x=1`));
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, `/ipfs/${plain}/b/?x=1`);
    const index = await gw.handle(get(`/ipfs/${site}/`));
    assert.equal(await text(index), '<!doctype html><h1>home</h1>');
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
    const listing = await gw.handle(get(`/ipfs/${plain}/`));
    assert.equal(listing.status, 200);
    assert.match(await text(listing), /href="\/ipfs\/.*\/a\.txt">a\.txt/);
  });

  test('trustless responses: raw blocks and a verifiable CAR', async () => {
    const raw = await gw.handle(get(`/ipfs/${plain}/a.txt?format=raw`));
    assert.equal(raw.headers['content-type'], 'application/vnd.ipld.raw');
    assert.equal(await text(raw), 'hello world');
    const car = await gw.handle(get(`/ipfs/${site}`, { accept: 'application/vnd.ipld.car' }));
    assert.equal(car.status, 200);
    assert.match(car.headers['content-type']!, /^application\/vnd\.ipld\.car/);
    const verified = await readVerifiedCar((async function* () { yield await body(car); })());
    assert.equal(verified.roots[0]!.toString(), site.toString());
    let n = 0;
    for await (const _ of verified.blocks) n++;
    assert.ok(n >= 7, `all blocks of the site, got ${n}`);
    const unsupported = await gw.handle(get(`/ipfs/${site}?format=tar`));
    assert.equal(unsupported.status, 400);
  });

  test('bad input, unknown and unpaid content', async () => {
    assert.equal((await gw.handle(get('/ipfs/not-a-cid'))).status, 400);
    assert.equal((await gw.handle(get('/ipfs/'))).status, 400);
    assert.equal((await gw.handle(get(`/ipfs/${plain}/%2e%2e/x`))).status, 400);
    assert.equal((await gw.handle(get(`/ipfs/${plain}/%zz`))).status, 400);
    assert.equal((await gw.handle(get(`/ipfs/${plain}/missing.txt`))).status, 404);
    assert.equal((await gw.handle(get('/etc/passwd'))).status, 404);
    const unknown = await gw.handle(get('/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'));
    assert.equal(unknown.status, 404);
    const r = await gw.handle(get(`/ipfs/${unpaid}/x.txt`));
    assert.equal(r.status, 402);
    assert.deepEqual(JSON.parse(await text(r)), { error: 'payment required: deal 3 expired at epoch 9', cid: unpaid.toString(), deal: '3', reason: 'deal 3 expired at epoch 9' });
  });

  test('sites by Host: index, deep links through _redirects, redirects, unknown sites', async () => {
    const host = 'blog.sites.localhost:8080';
    assert.equal(await text(await gw.handle(get('/', {}, host))), '<!doctype html><h1>home</h1>');
    assert.equal(await text(await gw.handle(get('/assets/app.js', {}, host))), 'console.log(1)');
    const deep = await gw.handle(get('/some/spa/route', {}, host));
    assert.equal(deep.status, 200);
    assert.equal(await text(deep), '<!doctype html><h1>home</h1>');
    const moved = await gw.handle(get('/old', {}, host));
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, '/about/');
    assert.equal((await gw.handle(get('/about', {}, host))).status, 301);
    assert.equal((await gw.handle(get('/', {}, 'nobody.sites.localhost'))).status, 404);
    assert.equal((await gw.handle(get('/nope', {}, 'plain.sites.localhost'))).status, 404);
    // A site whose deal ended: 402, but a malformed path is 400 first (as on /ipfs/).
    assert.equal((await gw.handle(get('/x.txt', {}, 'lapsed.sites.localhost'))).status, 402);
    for (const path of ['/../x.txt', '/a/%2e%2e/x.txt', '/%zz']) assert.equal((await gw.handle(get(path, {}, 'lapsed.sites.localhost'))).status, 400, path);
    assert.equal((await gw.handle(get('/../x.txt', {}, host))).status, 400);
    const malformed = await gw.handle(get('/nope', {}, 'broken.sites.localhost'));
    assert.equal(malformed.status, 500);
    assert.match(await text(malformed), /_redirects line 1/);
  });
});

describe('ContentGateway caches', () => {
  test('blocks and resolutions are remembered, the payment verdict is asked for on every request; files over 1 MiB are streamed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-cache-'));
    try {
      const store = await DiskBlockstore.open(join(dir, 'blocks'));
      const large = new Uint8Array(1_500_000).map((_, i) => (i * 13) % 251);
      const root = (await importDirectory(store, [{ path: 'small.txt', content: [enc('small')] }, { path: 'large.bin', content: [large] }], DEFAULT_PROFILE)).root;
      let reads = 0;
      let verdicts = 0;
      let verdict: PaymentVerdict = { kind: 'paid', dealId: '7' };
      const counting = { get: (cid: CID) => (reads++, store.get(cid)), getBytes: (cid: CID) => (reads++, store.getBytes(cid)) };
      const gw = new ContentGateway({ blocks: counting, verdict: async () => (verdicts++, verdict), siteRoot: async () => undefined, holds: () => true, ensureLocal: async () => true });

      assert.equal(await text(await gw.handle(get(`/ipfs/${root}/small.txt`))), 'small');
      const afterFirst = reads;
      assert.equal(await text(await gw.handle(get(`/ipfs/${root}/small.txt`))), 'small');
      assert.equal(reads, afterFirst, 'the second request reads no block from the store');
      assert.equal(verdicts, 2);

      const whole = await gw.handle(get(`/ipfs/${root}/large.bin`));
      assert.equal(whole.headers['content-length'], String(large.length));
      assert.ok(whole.body !== undefined && !(whole.body instanceof Uint8Array) && typeof whole.body !== 'string', 'a large file is streamed');
      assert.deepEqual(await body(whole), large);
      const part = await gw.handle(get(`/ipfs/${root}/large.bin`, { range: 'bytes=1048570-1048580' }));
      assert.equal(part.status, 206);
      assert.deepEqual(await body(part), large.subarray(1048570, 1048581));

      verdict = { kind: 'unpaid', dealId: '7', reason: 'deal 7 is cancelled' };
      assert.equal((await gw.handle(get(`/ipfs/${root}/small.txt`))).status, 402, 'a cached path still needs a paid verdict');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
