import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountKeyFromMnemonic, generateMnemonic } from '@trucom/crypto';
import { Keyring, KeyringError, listKeys, readDevnetAccounts, resolveKey } from './keyring.js';

// The BIP39 test phrase; its Cosmos (m/44'/118'/0'/0/0) address is cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4.
const ABANDON = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ABANDON_ADDRESS = 'tru19rl4cm2hmr8afy4kldpxz3fka4jguq0a6n769h';

async function tempHome(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trucom-keyring-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'home');
}

function isKeyringError(code: string) {
  return (err: unknown) => err instanceof KeyringError && err.name === 'KeyringError' && err.code === code;
}

test('add stores {name, address, mnemonic} with mode 0600 in a 0700 directory', async (t) => {
  const home = await tempHome(t);
  const keyring = new Keyring(home);
  const entry = await keyring.add('alice', `  ${ABANDON.toUpperCase().replace(/ /g, '   ')}\n`);
  assert.deepEqual(entry, { name: 'alice', address: ABANDON_ADDRESS, mnemonic: ABANDON });
  const file = join(home, 'keyring', 'alice.json');
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), entry);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.equal((await stat(join(home, 'keyring'))).mode & 0o777, 0o700);
  assert.deepEqual(await keyring.get('alice'), entry);
  assert.equal(await keyring.get('bob'), undefined);
});

test('a generated 24-word mnemonic round-trips through the keyring', async (t) => {
  const keyring = new Keyring(await tempHome(t));
  const mnemonic = generateMnemonic(24);
  assert.equal(mnemonic.split(' ').length, 24);
  const entry = await keyring.add('k', mnemonic);
  assert.equal(entry.address, (await accountKeyFromMnemonic(mnemonic)).address);
  assert.match(entry.address, /^tru1[02-9ac-hj-np-z]{38}$/);
});

test('add refuses a duplicate name, a bad name and a bad mnemonic, leaving no files behind', async (t) => {
  const home = await tempHome(t);
  const keyring = new Keyring(home);
  await keyring.add('alice', ABANDON);
  await assert.rejects(keyring.add('alice', generateMnemonic()), isKeyringError('KEY_EXISTS'));
  for (const name of ['', '../evil', 'a/b', '.hidden', 'x'.repeat(65)]) await assert.rejects(keyring.add(name, ABANDON), isKeyringError('INVALID_NAME'));
  await assert.rejects(keyring.add('bad', ABANDON.replace('about', 'abandon')), isKeyringError('INVALID_MNEMONIC'));
  await assert.rejects(keyring.add('bad', 'not a real phrase at all'), isKeyringError('INVALID_MNEMONIC'));
  assert.deepEqual((await keyring.list()).map((k) => k.name), ['alice']);
  assert.deepEqual(JSON.parse(await readFile(join(home, 'keyring', 'alice.json'), 'utf8')).mnemonic, ABANDON);
});

test('concurrent adds of one name: exactly one wins', async (t) => {
  const keyring = new Keyring(await tempHome(t));
  const results = await Promise.allSettled([keyring.add('race', generateMnemonic()), keyring.add('race', generateMnemonic())]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  assert.equal((await keyring.list()).length, 1);
});

test('list is sorted and ignores stray files; a corrupt key file is reported', async (t) => {
  const home = await tempHome(t);
  const keyring = new Keyring(home);
  assert.deepEqual(await keyring.list(), []);
  await keyring.add('zed', generateMnemonic());
  await keyring.add('amy', generateMnemonic());
  await writeFile(join(keyring.dir, 'notes.txt'), 'x');
  assert.deepEqual((await keyring.list()).map((k) => k.name), ['amy', 'zed']);
  await writeFile(join(keyring.dir, 'broken.json'), '{"name":"broken"}');
  await assert.rejects(keyring.get('broken'), isKeyringError('CORRUPT_KEY_FILE'));
});

test('resolveKey: keyring first, then devnet accounts, by name or address', async (t) => {
  const home = await tempHome(t);
  assert.deepEqual(await readDevnetAccounts(home), []);
  const publisher = { name: 'publisher', address: (await accountKeyFromMnemonic(ABANDON)).address, mnemonic: ABANDON };
  const viewerMnemonic = generateMnemonic();
  const viewer = { name: 'viewer', address: (await accountKeyFromMnemonic(viewerMnemonic)).address, mnemonic: viewerMnemonic };
  await mkdir(join(home, 'devnet'), { recursive: true });
  await writeFile(join(home, 'devnet', 'accounts.json'), JSON.stringify([publisher, viewer]));

  assert.deepEqual(await resolveKey(home, 'viewer'), { ...viewer, source: 'devnet' });
  assert.deepEqual(await resolveKey(home, viewer.address), { ...viewer, source: 'devnet' });

  const own = await new Keyring(home).add('viewer', generateMnemonic());
  assert.deepEqual(await resolveKey(home, 'viewer'), { ...own, source: 'keyring' });
  assert.deepEqual((await listKeys(home)).map((k) => `${k.name}:${k.source}`), ['viewer:keyring', 'publisher:devnet']);

  await assert.rejects(resolveKey(home, 'nobody'), (err: unknown) => isKeyringError('KEY_NOT_FOUND')(err) && /no key named nobody/.test((err as Error).message));
  await assert.rejects(resolveKey(home, 'tru1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq4sncal'), isKeyringError('KEY_NOT_FOUND'));
});

test('a malformed devnet accounts.json is reported, not ignored', async (t) => {
  const home = await tempHome(t);
  await mkdir(join(home, 'devnet'), { recursive: true });
  await writeFile(join(home, 'devnet', 'accounts.json'), '{"name":"x"}');
  await assert.rejects(readDevnetAccounts(home), isKeyringError('CORRUPT_KEY_FILE'));
  await writeFile(join(home, 'devnet', 'accounts.json'), '[{"name":"x","address":"nope","mnemonic":"m"}]');
  await assert.rejects(resolveKey(home, 'x'), isKeyringError('CORRUPT_KEY_FILE'));
});
