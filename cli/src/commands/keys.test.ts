import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import type { CliIo } from '../context.js';
import { registerKeys } from './keys.js';

const ABANDON = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ABANDON_ADDRESS = 'tru19rl4cm2hmr8afy4kldpxz3fka4jguq0a6n769h';
// Both from cosmjs' DirectSecp256k1HdWallet (prefix tru), independent of @trucom/crypto.

/** Runs `trucom <args>` with the keys commands in-process; returns what they printed. */
async function trucom(home: string, args: string[], stdin = ''): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdin: Readable.from([Buffer.from(stdin)]), stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
  const program = new Command('trucom').option('--home <dir>', 'home', '.trucom').option('-o, --output <format>', 'format', 'text').exitOverride();
  registerKeys(program, io);
  await program.parseAsync(['--home', home, ...args], { from: 'user' });
  return { stdout, stderr };
}

async function tempHome(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trucom-keys-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('keys add prints the address and a 24-word mnemonic with a backup warning', async (t) => {
  const home = await tempHome(t);
  const { stdout } = await trucom(home, ['keys', 'add', 'alice']);
  assert.match(stdout, /^name: +alice\naddress: +tru1\w{38}\n/);
  assert.match(stdout, /Write this mnemonic phrase down/);
  assert.equal(stdout.trim().split('\n').at(-1)!.split(' ').length, 24);

  const json = await trucom(home, ['-o', 'json', 'keys', 'add', 'bob']);
  const bob = JSON.parse(json.stdout) as { name: string; address: string; mnemonic: string };
  assert.equal(bob.name, 'bob');
  assert.equal(bob.mnemonic.split(' ').length, 24);
  assert.match(json.stderr, /Write this mnemonic phrase down/);

  await assert.rejects(trucom(home, ['keys', 'add', 'alice']), /a key named "alice" already exists/);
});

test('keys import takes the phrase as arguments or on stdin', async (t) => {
  const home = await tempHome(t);
  assert.equal((await trucom(home, ['keys', 'import', 'a', ...ABANDON.split(' ')])).stdout, `name:    a\naddress: ${ABANDON_ADDRESS}\n`);
  const piped = await trucom(home, ['-o', 'json', 'keys', 'import', 'b'], `${ABANDON}\n`);
  assert.deepEqual(JSON.parse(piped.stdout), { name: 'b', address: ABANDON_ADDRESS });
  await assert.rejects(trucom(home, ['keys', 'import', 'c'], ''), /no mnemonic given/);
  await assert.rejects(trucom(home, ['keys', 'import', 'c', 'abandon', 'abandon']), /invalid mnemonic/);
});

test('keys list and keys show', async (t) => {
  const home = await tempHome(t);
  assert.match((await trucom(home, ['keys', 'list'])).stdout, /^no keys in /);
  await trucom(home, ['keys', 'import', 'alice', ...ABANDON.split(' ')]);
  assert.equal((await trucom(home, ['keys', 'list'])).stdout, `NAME   ADDRESS                                     SOURCE\nalice  ${ABANDON_ADDRESS}  keyring\n`);
  assert.deepEqual(JSON.parse((await trucom(home, ['keys', 'list', '-o', 'json'])).stdout), [{ name: 'alice', address: ABANDON_ADDRESS, source: 'keyring' }]);

  assert.equal((await trucom(home, ['keys', 'show', 'alice', '-a'])).stdout, `${ABANDON_ADDRESS}\n`);
  const shown = JSON.parse((await trucom(home, ['-o', 'json', 'keys', 'show', 'alice'])).stdout) as Record<string, unknown>;
  assert.deepEqual(shown, {
    name: 'alice',
    address: ABANDON_ADDRESS,
    pubkey: { type: 'tendermint/PubKeySecp256k1', value: 'Ak9OKtmcNNYLm6YoPJQxqEGK+GcyEpYfl6d7Y3f80Fti' },
    source: 'keyring',
  });
  assert.doesNotMatch((await trucom(home, ['keys', 'show', 'alice'])).stdout, /abandon/);
  await assert.rejects(trucom(home, ['keys', 'show', 'nobody']), /no key named nobody/);
});
