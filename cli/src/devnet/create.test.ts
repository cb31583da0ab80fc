import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommittedState, inlineVerifier, openChainDB, SignatureCache } from '@trucom/chain';
import { createTrucomApp, parseTime, type GenesisDoc } from '@trucom/app';
import { accountKeyFromMnemonic } from '@trucom/crypto';
import { createDevnet, providerKeyFile } from './create.js';
import { accountsFile, devnetLayout, genesisFile } from './layout.js';

let home: string;
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'trucom-devnet-create-'));
});
after(() => rm(home, { recursive: true, force: true }));

test('the devnet genesis registers g0..g3 as providers whose keys the gateways find in g{i}/provider.json', async () => {
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
  }
  // The app accepts it: market genesis checks that market_collateral holds the providers' collateral.
  const dir = join(home, 'db');
  const db = await openChainDB(dir);
  try {
    const app = createTrucomApp({ chainId: genesis.chain_id, state: await CommittedState.open(db), signatures: new SignatureCache(inlineVerifier) });
    app.initChain({ time: parseTime(genesis.genesis_time), appState: genesis.app_state as unknown as Record<string, unknown> });
  } finally {
    await db.close();
  }
});
