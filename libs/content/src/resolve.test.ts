import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CID } from 'multiformats/cid';
import { parseCid } from './cid.js';
import { formatContentPath, parseContentPath, parseSubpath } from './content-path.js';
import { resolveFile, resolvePath } from './resolve.js';
import { collect, pseudoRandomBytes, utf8 } from './testing/data.js';
import { MemoryStore } from './testing/memory-store.js';
import { importShardedDirectory, importSite } from './testing/sites.js';

const ROOT = 'bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354';

const site = () =>
  importSite({
    'index.html': utf8('<h1>home</h1>'),
    'a b/ü.txt': utf8('unicode'),
    'blog/post.html': utf8('post'),
    'blog/index.html': utf8('blog index'),
    'raw/bytes.bin': pseudoRandomBytes(600_000, 'bin'),
    'empty/.keep': new Uint8Array(),
  });

describe('parseCid', () => {
  test('accepts CIDv0 and CIDv1 in any multibase; refuses anything else with InvalidCidError', () => {
    assert.equal(parseCid('QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn').toV1().toString(), ROOT);
    assert.equal(parseCid(ROOT).toString(), ROOT);
    assert.equal(parseCid('f' + Buffer.from(parseCid(ROOT).bytes).toString('hex')).toString(), ROOT);
    for (const bad of ['', 'bafy', 'not-a-cid', ROOT.slice(0, -1), 'Qm123'])
      assert.throws(() => parseCid(bad), { name: 'InvalidCidError' }, JSON.stringify(bad));
  });
});

describe('content paths', () => {
  test('splits /ipfs/{cid}/{path}, percent-decodes segments and remembers a trailing slash', () => {
    const p = parseContentPath(`/ipfs/${ROOT}/a%20b/%C3%BC.txt`);
    assert.equal(p.root.toString(), ROOT);
    assert.deepEqual(p.segments, ['a b', 'ü.txt']);
    assert.equal(p.trailingSlash, false);
    assert.equal(parseContentPath(`/ipfs/${ROOT}/blog/`).trailingSlash, true);
    assert.equal(parseContentPath(`/ipfs/${ROOT}`).trailingSlash, false);
    assert.equal(parseContentPath(`/ipfs/${ROOT}/`).trailingSlash, true);
    assert.deepEqual(parseContentPath(`${ROOT}/x`).segments, ['x']);
  });

  test('drops empty and "." segments like the gateway path cleaning', () => {
    assert.deepEqual(parseSubpath('//a///b/./c/'), { segments: ['a', 'b', 'c'], trailingSlash: true });
    assert.deepEqual(parseSubpath('/a/%2E/b').segments, ['a', 'b']);
    assert.deepEqual(parseSubpath('').segments, []);
  });

  test('refuses "..", encoded slashes, NUL and bad percent-encoding with InvalidPathError', () => {
    for (const bad of ['/a/../b', '/..', '/a/%2e%2E', '/a%2Fb', '/a%00b', '/%E0%A4%A', '/100%'])
      assert.throws(() => parseSubpath(bad), { name: 'InvalidPathError' }, bad);
    assert.throws(() => parseContentPath('/ipfs/'), { name: 'InvalidPathError' });
    assert.throws(() => parseContentPath('/ipfs/nope/x'), { name: 'InvalidCidError' });
  });

  test('formats a canonical path with encoded segments', () => {
    assert.equal(formatContentPath(CID.parse(ROOT), ['a b', 'ü.txt']), `/ipfs/${ROOT}/a%20b/%C3%BC.txt`);
    assert.equal(formatContentPath(CID.parse(ROOT), [], true), `/ipfs/${ROOT}/`);
  });
});

describe('resolvePath', () => {
  test('a file: size, bytes, and the CID of every segment', async () => {
    const { store, root, files } = await site();
    const r = await resolvePath(store, root, ['raw', 'bytes.bin']);
    assert.equal(r.kind, 'file');
    if (r.kind !== 'file') return;
    assert.equal(r.size, 600_000n);
    assert.equal(r.roots.length, 3);
    assert.ok(r.roots[0]!.equals(root));
    assert.ok(r.roots[2]!.equals(r.cid));
    assert.deepEqual(await collect(r.content(599_990n)), files['raw/bytes.bin'].subarray(599_990));
    const unicode = await resolveFile(store, `/ipfs/${root}/a%20b/%C3%BC.txt`);
    assert.deepEqual(await collect(unicode.content()), utf8('unicode'));
  });

  test('directories: with and without index.html, and their entries', async () => {
    const { store, root } = await site();
    const top = await resolvePath(store, root, []);
    assert.equal(top.kind, 'directory');
    if (top.kind !== 'directory') return;
    assert.ok(top.indexHtml, 'the root has index.html');
    const names = [];
    for await (const e of top.entries()) names.push(e.name);
    assert.deepEqual(names.sort(), ['a b', 'blog', 'empty', 'index.html', 'raw']);

    const raw = await resolvePath(store, root, ['raw']);
    assert.ok(raw.kind === 'directory' && raw.indexHtml === undefined);
    const blog = await resolvePath(store, root, ['blog']);
    assert.ok(blog.kind === 'directory' && blog.indexHtml !== undefined);
    const index = await resolvePath(store, blog.indexHtml!, []);
    assert.ok(index.kind === 'file');
  });

  test('not found: a missing name, a name below a file, an empty file', async () => {
    const { store, root } = await site();
    const missing = await resolvePath(store, root, ['blog', 'nope.html']);
    assert.deepEqual(missing.kind === 'not-found' && { missing: missing.missing, depth: missing.roots.length }, { missing: 'nope.html', depth: 2 });
    const belowFile = await resolvePath(store, root, ['index.html', 'x']);
    assert.ok(belowFile.kind === 'not-found' && belowFile.missing === 'x');
    const belowRaw = await resolvePath(store, root, ['raw', 'bytes.bin', 'y']);
    assert.ok(belowRaw.kind === 'not-found' && belowRaw.missing === 'y');
    await assert.rejects(resolveFile(store, `/ipfs/${root}/blog`), { name: 'NotFoundError' });
    await assert.rejects(resolveFile(store, `/ipfs/${root}/nope`), { name: 'NotFoundError' });
    const empty = await resolveFile(store, `/ipfs/${root}/empty/.keep`);
    assert.equal(empty.size, 0n);
    assert.deepEqual(await collect(empty.content()), new Uint8Array());
  });

  test('a missing block is MissingBlockError, not "not found"', async () => {
    const { store, root } = await site();
    const blog = await resolvePath(store, root, ['blog']);
    store.blocks.delete(blog.kind === 'directory' ? blog.cid.toString() : '');
    await assert.rejects(resolvePath(store, root, ['blog', 'post.html']), { name: 'MissingBlockError' });
    await assert.rejects(resolvePath(new MemoryStore(), root, []), { name: 'MissingBlockError' });
  });

  test('HAMT-sharded directories resolve by name', async () => {
    const { store, root } = await importShardedDirectory('big', 100);
    const r = await resolveFile(store, `/ipfs/${root}/big/f42`);
    assert.deepEqual(await collect(r.content()), utf8('content 42'));
    const dir = await resolvePath(store, root, ['big']);
    assert.equal(dir.kind, 'directory');
    let count = 0;
    if (dir.kind === 'directory') for await (const _ of dir.entries()) count++;
    assert.equal(count, 100);
    assert.equal((await resolvePath(store, root, ['big', 'f100'])).kind, 'not-found');
  });
});
