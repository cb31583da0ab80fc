import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommittedState, inlineVerifier, openChainDB, SignatureCache } from '@trucom/chain';
import { createTrucomApp, parseTime, type GenesisDoc } from '@trucom/app';
import { accountKeyFromMnemonic, fromBase64, keyHolderKey } from '@trucom/crypto';
import { trucom } from '@trucom/proto';
import { createDevnet, providerKeyFile } from './create.js';
import { accountsFile, devnetLayout, genesisFile } from './layout.js';

let home: string;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'trucom-devnet-create-'));
});
after(() => rm(home, { recursive: true, force: true }));

test('the devnet genesis registers g0..g3 as providers and key holders whose keys the gateways find in g{i}/provider.json', async () => {
  const layout = devnetLayout(home);
  await createDevnet(layout);
  const genesis = JSON.parse(await readFile(genesisFile(layout), 'utf8')) as GenesisDoc;
  const market = genesis.app_state.market!;
  assert.equal(market.params!.epoch_blocks, 10);
  const accounts = JSON.parse(await readFile(accountsFile(layout), 'utf8')) as { name: string; address: string }[];
  for (let i = 0; i < 4; i++) {
    const file = providerKeyFile(layout, i);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const key = JSON.parse(await readFile(file, 'utf8')) as { name: string; address: string; mnemonic: string };
    assert.equal(key.name, `g${i}-provider`);
    assert.equal((await accountKeyFromMnemonic(key.mnemonic)).address, key.address);
    assert.ok(accounts.some((a) => a.name === key.name && a.address === key.address));
    const p = market.providers![i]!;
    assert.deepEqual([p.address, p.endpoint, p.capacity, p.collateral], [key.address, `http://127.0.0.1:${8080 + i}`, 10 * 1024 ** 3, '100000000']);
    assert.ok(genesis.app_state.bank.balances.some((b) => b.address === key.address && b.coins[0]!.amount === '1000000000'));
    // The gateway derives its key-holder key from the same provider key: content keys sealed to it open there.
    const holder = genesis.app_state.grants!.key_holders![i]!;
    assert.equal(holder.holder, key.address);
    assert.deepEqual(fromBase64(holder.x25519_pubkey), keyHolderKey((await accountKeyFromMnemonic(key.mnemonic)).privateKey).publicKey);
  }
  // The app accepts it: market genesis checks that market_collateral holds the providers' collateral.
  const dir = join(home, 'db');
  const db = await openChainDB(dir);
  try {
    const app = createTrucomApp({ chainId: genesis.chain_id, state: await CommittedState.open(db), signatures: new SignatureCache(inlineVerifier) });
    app.initChain({ time: parseTime(genesis.genesis_time), appState: genesis.app_state as unknown as Record<string, unknown> });
    const batch = db.batch();
    app.commit(batch);
    await batch.write();
    app.committed();
    const block = { chainId: genesis.chain_id, height: 1, time: parseTime(genesis.genesis_time), proposer: new Uint8Array(20) };
    const { keyHolders } = trucom.grants.v1.QueryKeyHoldersResponse.decode((await app.query('/trucom.grants.v1.Query/KeyHolders', new Uint8Array(), block)).value);
    assert.deepEqual(keyHolders.map((k) => k.holder).sort(), genesis.app_state.grants!.key_holders!.map((k) => k.holder).sort());
  } finally {
    await db.close();
  }
});
