import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROFILE } from './profiles.js';
import { importDirectory, importFile, normalizeImportPath, type ImportFileEntry } from './import.js';
import { resolveFile, resolvePath } from './resolve.js';
import { InvalidPathError } from './errors.js';
import { collect, pseudoRandomBytes, streamOf, utf8 } from './testing/data.js';
import { MemoryStore } from './testing/memory-store.js';
import { tempDiskStore } from './testing/tmp-store.js';

const MIB = 1_048_576;

describe('import', () => {
  test('a multi-chunk file round-trips through the disk store, whole and by ranges', async () => {
    const { store, cleanup } = await tempDiskStore();
    try {
      const data = pseudoRandomBytes(MIB + 300_000, 'file');
      const progress: bigint[] = [];
      const imported = await importFile(store, streamOf(data, 50_000), DEFAULT_PROFILE, (n) => progress.push(n));
      assert.equal(imported.size, BigInt(data.length));
      assert.equal(imported.blocks, 6 + 1, 'six raw leaves and one root');
      assert.equal(progress.at(-1), BigInt(data.length));
      assert.ok(progress.every((n, i) => i === 0 || n > progress[i - 1]!), 'progress only grows');

      const file = await resolveFile(store, `/ipfs/${imported.root}`);
      assert.equal(file.size, BigInt(data.length));
      assert.deepEqual(await collect(file.content()), data);
      for (const [offset, length] of [[0, 1], [262_143, 2], [262_144, 262_144], [1_000_000, 100_000], [data.length - 3, 10], [data.length, 5]] as const) {
        const got = await collect(file.content(BigInt(offset), BigInt(length)));
        assert.deepEqual(got, data.subarray(offset, Math.min(data.length, offset + length)), `range ${offset}+${length}`);
      }
      assert.deepEqual(await collect(file.content(10n)), data.subarray(10));
      await assert.rejects(collect(file.content(BigInt(data.length + 1))), { name: 'InvalidRangeError' });
    } finally {
      await cleanup();
    }
  });

  test('a directory round-trips; each file is streamed in order from one upload stream', async () => {
    const store = new MemoryStore();
    const files = {
      'index.html': utf8('<h1>home</h1>'),
      'assets/app.js': pseudoRandomBytes(300_000, 'app'),
      'assets/img/logo.png': pseudoRandomBytes(40_000, 'logo'),
      'docs/readme.txt': utf8('read me'),
    };
    // Like a multipart body: the next file exists only once the previous one has been read to its end.
    let open = false;
    async function* upload(): AsyncGenerator<ImportFileEntry> {
      for (const [path, bytes] of Object.entries(files)) {
        assert.equal(open, false, 'the importer asked for the next file before finishing the previous one');
        open = true;
        yield {
          path,
          content: (async function* () {
            yield* streamOf(bytes, 16_384);
            open = false;
          })(),
        };
      }
    }
    const imported = await importDirectory(store, upload(), DEFAULT_PROFILE);
    assert.equal(imported.size, BigInt(Object.values(files).reduce((n, b) => n + b.length, 0)));
    for (const [path, bytes] of Object.entries(files)) {
      const file = await resolveFile(store, `/ipfs/${imported.root}/${path}`);
      assert.deepEqual(await collect(file.content()), bytes, path);
    }
    const assets = await resolvePath(store, imported.root, ['assets']);
    assert.equal(assets.kind, 'directory');
  });

  test('how an upload stream is split into reads does not change the CID', async () => {
    const data = pseudoRandomBytes(600_000, 'same');
    const a = await importFile(new MemoryStore(), streamOf(data, 1000), DEFAULT_PROFILE);
    const b = await importFile(new MemoryStore(), streamOf(data, 77_777), DEFAULT_PROFILE);
    assert.equal(a.root.toString(), b.root.toString());
  });

  test('import paths: empty and "." segments dropped, ".." and empty paths refused', () => {
    assert.equal(normalizeImportPath('/a//b/./c.txt'), 'a/b/c.txt');
    assert.throws(() => normalizeImportPath('a/../../etc/passwd'), InvalidPathError);
    assert.throws(() => normalizeImportPath('//'), InvalidPathError);
  });

  test('a ".." path in a directory upload is refused before anything is stored', async () => {
    const store = new MemoryStore();
    await assert.rejects(importDirectory(store, [{ path: '../x', content: [utf8('x')] }], DEFAULT_PROFILE), InvalidPathError);
    assert.equal(store.blocks.size, 0);
  });
});
