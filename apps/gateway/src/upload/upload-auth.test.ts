import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signAdr036 } from '@trucom/crypto';
import { authenticateUpload, uploadAuthorization } from './upload-auth.js';

const key = new Uint8Array(32).fill(3);
const header = (data: string) => {
  const { signer, signature } = signAdr036(key, data);
  return uploadAuthorization({ signer, data, ...signature });
};

test('a fresh signed statement authenticates its signer', () => {
  const r = authenticateUpload(header('trucom upload 1000'), 1010);
  assert.ok('signer' in r && r.signer.startsWith('tru1'));
});

test('stale, foreign, tampered or missing credentials are refused with a reason', () => {
  assert.match((authenticateUpload(header('trucom upload 1000'), 2000) as { problem: string }).problem, /300 s/);
  assert.match((authenticateUpload(header('hello'), 1000) as { problem: string }).problem, /trucom upload/);
  assert.match((authenticateUpload(undefined, 1000) as { problem: string }).problem, /Authorization/);
  assert.match((authenticateUpload('ADR036 !!!', 1000) as { problem: string }).problem, /Authorization/);
  const good = JSON.parse(Buffer.from(header('trucom upload 1000').slice(7), 'base64').toString());
  const forged = uploadAuthorization({ ...good, data: 'trucom upload 1001' });
  assert.match((authenticateUpload(forged, 1000) as { problem: string }).problem, /does not verify/);
});
