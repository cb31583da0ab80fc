import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signAdr036 } from '@trucom/crypto';
import { adr036Authorization } from '../auth/adr036-auth.js';
import { serveKey, type KeyAuthority } from './key-server.js';

const viewer = new Uint8Array(32).fill(5);
const stranger = new Uint8Array(32).fill(6);
const KEY = new Uint8Array(16).fill(9);
const NOW = 1_800_000_000;
const sign = (pk: Uint8Array, data: unknown) => {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const { signer, signature } = signAdr036(pk, text);
  return { signer, header: adr036Authorization({ signer, data: text, ...signature }) };
};
const granted = sign(viewer, 'x').signer;
const authority: KeyAuthority = {
  grantActive: async (content, grantee) => content === 'movie' && grantee === granted,
  contentKey: async (content, keyId) => (content === 'movie' && keyId === 'k0' ? KEY : undefined),
};

test('a granted viewer with a fresh signature gets the 16-byte key, never cached', async () => {
  const r = await serveKey(authority, 'movie', 'k0', sign(viewer, { content: 'movie', key: 'k0', ts: NOW }).header, NOW + 10);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, KEY);
  assert.equal(r.headers['cache-control'], 'no-store');
});

test('401 unsigned, forged, stale, or signed for another key; 403 without a grant; 404 for keys not held', async () => {
  const status = async (header: string | undefined, keyId = 'k0') => (await serveKey(authority, 'movie', keyId, header, NOW)).status;
  assert.equal(await status(undefined), 401);
  assert.equal(await status(sign(viewer, { content: 'movie', key: 'k0', ts: NOW - 301 }).header), 401);
  assert.equal(await status(sign(viewer, { content: 'movie', key: 'k1', ts: NOW }).header), 401);
  assert.equal(await status(sign(viewer, 'not json').header), 401);
  const good = JSON.parse(Buffer.from(sign(viewer, { content: 'movie', key: 'k0', ts: NOW }).header.slice(7), 'base64').toString());
  assert.equal(await status(adr036Authorization({ ...good, signer: sign(stranger, 'x').signer })), 401);
  assert.equal(await status(sign(stranger, { content: 'movie', key: 'k0', ts: NOW }).header), 403);
  assert.equal(await status(sign(viewer, { content: 'movie', key: 'k7', ts: NOW }).header, 'k7'), 404);
  assert.equal((await serveKey(authority, '../etc', 'k0', undefined, NOW)).status, 400);
});
