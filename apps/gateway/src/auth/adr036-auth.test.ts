import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signAdr036 } from '@trucom/crypto';
import { adr036Authorization, authenticateUpload, verifyAdr036Header } from './adr036-auth.js';

const key = new Uint8Array(32).fill(3);
const header = (data: string) => {
  const { signer, signature } = signAdr036(key, data);
  return adr036Authorization({ signer, data, ...signature });
};
const problem = (r: { problem: string } | object) => (r as { problem?: string }).problem ?? '';

test('a fresh signed upload statement authenticates its signer', () => {
  const r = authenticateUpload(header('trucom upload 1000'), 1010);
  assert.ok('signer' in r && r.signer.startsWith('tru1'));
  assert.deepEqual(verifyAdr036Header(header('{"a":1}')), { signer: (r as { signer: string }).signer, data: '{"a":1}' });
});

test('stale, foreign, tampered or missing credentials are refused with a reason', () => {
  assert.match(problem(authenticateUpload(header('trucom upload 1000'), 2000)), /300 s/);
  assert.match(problem(authenticateUpload(header('hello'), 1000)), /trucom upload/);
  assert.match(problem(authenticateUpload(undefined, 1000)), /Authorization/);
  assert.match(problem(authenticateUpload('ADR036 !!!', 1000)), /Authorization/);
  const good = JSON.parse(Buffer.from(header('trucom upload 1000').slice(7), 'base64').toString());
  const forged = adr036Authorization({ ...good, data: 'trucom upload 1001' });
  assert.match(problem(authenticateUpload(forged, 1000)), /does not verify/);
});
