import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerValidator } from './validator.js';

/** `trucom <args>` with the validator commands, the program's own --home option as in main.ts. */
async function trucom(args: string[]): Promise<void> {
  const program = new Command('trucom').option('--home <dir>', 'home', '.trucom').option('-o, --output <format>', 'format', 'text').exitOverride();
  program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  registerValidator(program);
  const log = console.log;
  console.log = () => undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    console.log = log;
  }
}

test('validator init takes --home after the subcommand (the program has a --home option too)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'trucom-validator-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const home = join(dir, 'v0');
  await trucom(['validator', 'init', '--home', home, '--moniker', 'm']);
  assert.ok(existsSync(join(home, 'config', 'priv_validator_key.json')));
  assert.ok(existsSync(join(home, 'config', 'node.json')));

  const before = join(dir, 'v1');
  await trucom(['--home', before, 'validator', 'init']);
  assert.ok(existsSync(join(before, 'config', 'priv_validator_key.json')), '--home before the subcommand works too');

  await assert.rejects(trucom(['validator', 'init']), /required option '--home <dir>' not specified/);
  await assert.rejects(trucom(['validator', 'init', '--home', home]), /already exists/, 'an existing consensus key is never overwritten');
});
