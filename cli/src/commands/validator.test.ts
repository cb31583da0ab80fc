import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { DEFAULT_CONSENSUS_PARAMS } from '@trucom/app';
import { generateEd25519Key, toBase64, toUpperHex, validatorAddress } from '@trucom/crypto';
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

/** Like trucom() but returns what the command printed. */
async function trucomOutput(args: string[]): Promise<string> {
  const program = new Command('trucom').option('--home <dir>', 'home', '.trucom').option('-o, --output <format>', 'format', 'text').exitOverride();
  program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  registerValidator(program);
  const log = console.log;
  let out = '';
  console.log = (s: string) => void (out += `${s}\n`);
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    console.log = log;
  }
  return out;
}

test('validator init for joining a network: genesis copied, bootstrap peers and ports in node.json; show prints the identity', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'trucom-validator-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const key = generateEd25519Key().publicKey;
  const genesis = {
    genesis_time: '2026-01-01T00:00:00Z',
    chain_id: 'trucom-test-1',
    initial_height: '1',
    consensus_params: DEFAULT_CONSENSUS_PARAMS,
    validators: [{ address: toUpperHex(validatorAddress(key)), pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(key) }, power: '1', name: 'v0' }],
    app_hash: '',
    app_state: { auth: { accounts: [] }, bank: { balances: [] } },
  };
  const genesisPath = join(dir, 'genesis.json');
  await writeFile(genesisPath, JSON.stringify(genesis));
  const peer = '/ip4/127.0.0.1/tcp/26656/p2p/12D3KooWHFrmLWTTDD4NodngSKrjaXw2gCUjZp3xUoFEbUM6ppTx';
  const home = join(dir, 'v5');
  const init = JSON.parse(
    await trucomOutput(['-o', 'json', 'validator', 'init', '--home', home, '--moniker', 'five', '--genesis', genesisPath, '--bootstrap', peer, '--p2p-port', '31246', '--rpc-port', '31247']),
  ) as { address: string; pub_key: { value: string }; p2p_address: string; genesis: string };
  assert.equal(await readFile(join(home, 'config', 'genesis.json'), 'utf8'), JSON.stringify(genesis));
  const config = JSON.parse(await readFile(join(home, 'config', 'node.json'), 'utf8'));
  assert.equal(config.moniker, 'five');
  assert.deepEqual(config.bootstrap_peers, [peer]);
  assert.deepEqual(config.p2p, { host: '127.0.0.1', port: 31246 });
  assert.deepEqual(config.rpc, { host: '127.0.0.1', port: 31247 });
  assert.equal(config.rest, null);
  assert.match(init.p2p_address, /^\/ip4\/127\.0\.0\.1\/tcp\/31246\/p2p\/12D3KooW\w+$/);

  const show = JSON.parse(await trucomOutput(['-o', 'json', 'validator', 'show', '--home', home])) as { address: string; pub_key: { value: string }; p2p_address: string; moniker: string };
  assert.equal(show.address, init.address);
  assert.equal(show.pub_key.value, init.pub_key.value);
  assert.equal(show.p2p_address, init.p2p_address, 'the same libp2p identity (node_key.json) as init created');
  assert.equal(show.moniker, 'five');
  assert.match(await trucomOutput(['validator', 'show', '--home', home]), new RegExp(`p2p\\s+${init.p2p_address}`));

  // bad input is refused before anything is written
  const other = join(dir, 'v6');
  await assert.rejects(trucom(['validator', 'init', '--home', other, '--bootstrap', '/ip4/127.0.0.1/tcp/1']), /expected a libp2p address with a peer id/);
  await assert.rejects(trucom(['validator', 'init', '--home', other, '--p2p-port', '70000']), /--p2p-port must be a port number/);
  await assert.rejects(trucom(['validator', 'init', '--home', other, '--genesis', join(dir, 'missing.json')]), /--genesis/);
  assert.ok(!existsSync(other));
  await assert.rejects(trucom(['validator', 'show', '--home', other]), /not found/);
});
