import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { DEFAULT_PROFILE, DiskBlockstore, exportCar, importDirectory } from '@trucom/content';
import { signAdr036 } from '@trucom/crypto';
import { adr036Authorization } from '../auth/adr036-auth.js';
import { registerUploadRoute, UPLOAD_PATH } from './upload-route.js';

const LIMIT = 4096;
const key = new Uint8Array(32).fill(7);
const auth = () => {
  const data = `trucom upload ${Math.floor(Date.now() / 1000)}`;
  const { signer, signature } = signAdr036(key, data);
  return adr036Authorization({ signer, data, ...signature });
};
/** A directory upload as a browser sends it: FormData, one file part per path. */
async function multipart(files: Record<string, Uint8Array>): Promise<{ payload: Buffer; type: string }> {
  const form = new FormData();
  for (const [path, content] of Object.entries(files)) form.append('file', new Blob([content]), path);
  const req = new Request('http://gateway/', { method: 'POST', body: form });
  return { payload: Buffer.from(await req.arrayBuffer()), type: req.headers.get('content-type')! };
}
const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i * 31) % 251);

describe('upload route limits', () => {
  let dir: string;
  let app: FastifyInstance;
  const stored: string[] = [];
  let carOf: (n: number) => Promise<Buffer>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upload-route-'));
    const store = await DiskBlockstore.open(join(dir, 'blocks'));
    app = Fastify();
    await registerUploadRoute(app, { store, stored: async (c) => void stored.push(c.root.toString()), maxBytes: LIMIT, log: pino({ level: 'silent' }) });
    const source = await DiskBlockstore.open(join(dir, 'source'));
    carOf = async (n) => {
      const { root } = await importDirectory(source, [{ path: 'data.bin', content: [bytes(n)] }], DEFAULT_PROFILE);
      const chunks: Uint8Array[] = [];
      for await (const c of await exportCar(source, root)) chunks.push(c);
      return Buffer.concat(chunks);
    };
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (payload: Buffer, type: string) => app.inject({ method: 'POST', url: UPLOAD_PATH, payload, headers: { 'content-type': type, authorization: auth() } });
  const postFiles = async (files: Record<string, Uint8Array>) => {
    const { payload, type } = await multipart(files);
    return post(payload, type);
  };

  test('a directory over the limit: 413 naming the limit', async () => {
    const one = await postFiles({ 'big.bin': bytes(4 * LIMIT) });
    assert.equal(one.statusCode, 413, one.body);
    assert.match(one.json().error, new RegExp(`limit of ${LIMIT} bytes`));
    // several files, each under the limit, together over it
    const many = await postFiles({ 'a.bin': bytes(LIMIT - 100), 'b.bin': bytes(LIMIT - 100) });
    assert.equal(many.statusCode, 413, many.body);
    assert.match(many.json().error, new RegExp(`limit of ${LIMIT} bytes`));
  });

  test('a CAR over the limit: 413, not a malformed CAR', async () => {
    const r = await post(await carOf(4 * LIMIT), 'application/vnd.ipld.car');
    assert.equal(r.statusCode, 413, r.body);
    assert.match(r.json().error, new RegExp(`limit of ${LIMIT} bytes`));
  });

  test('under the limit both are stored (201); a broken CAR is 400', async () => {
    const dirUpload = await postFiles({ 'index.html': Buffer.from('<h1>ok</h1>') });
    assert.equal(dirUpload.statusCode, 201, dirUpload.body);
    const car = await carOf(1000);
    const carUpload = await post(car, 'application/vnd.ipld.car');
    assert.equal(carUpload.statusCode, 201, carUpload.body);
    assert.deepEqual(stored, [dirUpload.json().cid, carUpload.json().cid]);
    const broken = await post(Buffer.from('not a car at all'), 'application/vnd.ipld.car');
    assert.equal(broken.statusCode, 400, broken.body);
  });
});
