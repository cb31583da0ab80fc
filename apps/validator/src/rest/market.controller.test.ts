import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { advanceTo, genesisProviders, msgCreateDeal, msgRegisterSite, ok, testAccounts, TestChain, type TestAccount } from '../../../../contracts/app/dist/testing.js';
import { startTestRest, type TestRest } from './testing.js';

const CID = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
let chain: TestChain;
let rest: TestRest;
let owner: TestAccount, providers: TestAccount[];
const get = (path: string) => rest.get(path);

before(async () => {
  const accounts = await testAccounts(4, 700);
  [owner] = accounts;
  providers = accounts.slice(1);
  // Genesis providers: market_collateral is funded with their collateral by the bank genesis.
  const genesis = genesisProviders(providers);
  chain = await TestChain.start({ balances: [...accounts.map((a) => ({ address: a.address, coins: '1000000000utru' })), genesis.collateral], minGasPrice: null, appState: { market: genesis.appState.market } });
  await ok(chain, owner, [msgCreateDeal(owner.address, { cid: CID, size: 5000, duration: 3, bandwidthBudget: '77' })]);
  await ok(chain, owner, [msgRegisterSite(owner.address, 'hello', CID, 1)]);
  rest = await startTestRest(chain);
});

after(async () => {
  await rest?.app.close();
  await chain?.destroy();
});

describe('REST /trucom/market/v1 and /trucom/sites/v1', () => {
  test('deals/{id}: owner, cid, size, kind, replicas with endpoints and statuses, escrow, funded_until_epoch, bandwidth', async () => {
    const { status, body } = await get('/trucom/market/v1/deals/1');
    assert.equal(status, 200);
    assert.deepEqual([body.id, body.owner, body.cid, body.size, body.kind, body.profile, body.status, body.price], [1, owner.address, CID, 5000, 'site', 'cidv1-256k-174', 'active', '100']);
    assert.equal(body.replicas.length, 3);
    for (const r of body.replicas) {
      assert.equal(r.status, 'active');
      assert.equal(r.last_proven_epoch, 0);
      assert.equal(r.endpoint, `http://127.0.0.1:808${providers.findIndex((p) => p.address === r.provider)}`);
    }
    assert.equal(body.escrow, String(100 * 3 * 3 + 77));
    assert.deepEqual(body.bandwidth, { budget: '77', used: '0' });
    assert.deepEqual([body.created_epoch, body.start_epoch, body.funded_until_epoch], [1, 2, 4]);
  });

  test('unknown id → 404 with a message; malformed → 400', async () => {
    const missing = await get('/trucom/market/v1/deals/999');
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /deal 999 not found/);
    assert.equal((await get('/trucom/market/v1/deals/abc')).status, 400);
    assert.equal((await get('/trucom/market/v1/deals?owner=nope')).status, 400);
    assert.equal((await get('/trucom/market/v1/providers/nope')).status, 400);
    assert.equal((await get(`/trucom/market/v1/providers/${owner.address}`)).status, 404);
    assert.equal((await get('/trucom/market/v1/challenges')).status, 400);
    assert.equal((await get('/trucom/sites/v1/sites/unknown')).status, 404);
    assert.equal((await get('/trucom/sites/v1/sites/Bad_Name')).status, 400);
  });

  test('deals?owner, providers, providers/{address}, params, sites/{name}', async () => {
    const deals = await get(`/trucom/market/v1/deals?owner=${owner.address}`);
    assert.deepEqual(deals.body.deals.map((d: { id: number }) => d.id), [1]);
    assert.equal(deals.body.deals[0].replicas[0].endpoint.startsWith('http://127.0.0.1:808'), true);
    const list = await get('/trucom/market/v1/providers');
    assert.equal(list.body.providers.length, 3);
    const one = await get(`/trucom/market/v1/providers/${providers[0]!.address}`);
    assert.deepEqual([one.body.endpoint, one.body.capacity, one.body.price, one.body.collateral, one.body.status], ['http://127.0.0.1:8080', 2 ** 30, '10', '10000000', 'active']);
    const params = await get('/trucom/market/v1/params');
    assert.deepEqual([params.body.epoch_blocks, params.body.min_replicas, params.body.allowed_profiles], [5, 3, ['cidv1-256k-174', 'unixfs-v1-2025']]);
    const site = await get('/trucom/sites/v1/sites/hello');
    assert.deepEqual(site.body, { name: 'hello', owner: owner.address, root_cid: CID, deal_id: 1, created_height: 2, updated_height: 2 });
  });

  test('challenges?provider: none before the first funded epoch, then one per deal with its seed (hex)', async () => {
    const p = providers[0]!.address;
    assert.deepEqual((await get(`/trucom/market/v1/challenges?provider=${p}`)).body.challenges, []);
    await advanceTo(chain, 6);
    const { body } = await get(`/trucom/market/v1/challenges?provider=${p}`);
    assert.deepEqual([body.provider, body.epoch, body.epoch_end_height], [p, 2, 10]);
    assert.equal(body.challenges.length, 1);
    assert.deepEqual([body.challenges[0].deal_id, body.challenges[0].cid, body.challenges[0].epoch, body.challenges[0].proven, body.challenges[0].status], [1, CID, 2, false, 'active']);
    assert.match(body.challenges[0].seed, /^[0-9a-f]{64}$/);
  });
});
