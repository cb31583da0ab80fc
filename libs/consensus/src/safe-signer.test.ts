import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { verifyEd25519 } from '@trucom/crypto';
import { createPrivValidatorKeyFile } from './priv-validator.js';
import { DoubleSignError, SafeSigner, SIGN_STEP } from './safe-signer.js';

const dir = mkdtempSync(join(tmpdir(), 'trucom-signer-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const key = createPrivValidatorKeyFile(join(dir, 'priv_validator_key.json'));
const bytes = (s: string) => new TextEncoder().encode(s);

test('signs forward in height/round/step and persists what it signed before returning', () => {
  const statePath = join(dir, 'state-a.json');
  const s = SafeSigner.open(key, statePath);
  const sig = s.sign(1, 0, SIGN_STEP.prevote, bytes('prevote A'));
  assert.ok(verifyEd25519(key.publicKey, bytes('prevote A'), sig));
  assert.deepEqual(JSON.parse(readFileSync(statePath, 'utf8')).height, 1);
  s.sign(1, 0, SIGN_STEP.precommit, bytes('precommit A'));
  s.sign(1, 1, SIGN_STEP.prevote, bytes('prevote B'));
  s.sign(2, 0, SIGN_STEP.propose, bytes('proposal C'));
  assert.deepEqual(s.lastSigned, { height: 2, round: 0, step: SIGN_STEP.propose });
});

test('refuses to go back, or to sign different bytes at the same step; the same bytes give the same signature', () => {
  const s = SafeSigner.open(key, join(dir, 'state-b.json'));
  const first = s.sign(5, 2, SIGN_STEP.prevote, bytes('prevote A'));
  assert.deepEqual(s.sign(5, 2, SIGN_STEP.prevote, bytes('prevote A')), first);
  assert.throws(() => s.sign(5, 2, SIGN_STEP.prevote, bytes('prevote B')), DoubleSignError);
  assert.throws(() => s.sign(5, 1, SIGN_STEP.precommit, bytes('old round')), DoubleSignError);
  assert.throws(() => s.sign(4, 9, SIGN_STEP.precommit, bytes('old height')), DoubleSignError);
});

test('after a crash (a new signer on the same state file) a conflicting signature is still refused', () => {
  const statePath = join(dir, 'state-c.json');
  SafeSigner.open(key, statePath).sign(7, 0, SIGN_STEP.precommit, bytes('precommit A'));
  const restarted = SafeSigner.open(key, statePath);
  assert.throws(() => restarted.sign(7, 0, SIGN_STEP.precommit, bytes('precommit B')), DoubleSignError);
  assert.ok(restarted.sign(7, 0, SIGN_STEP.precommit, bytes('precommit A')));
  assert.ok(restarted.sign(7, 1, SIGN_STEP.prevote, bytes('prevote next round')));
});
