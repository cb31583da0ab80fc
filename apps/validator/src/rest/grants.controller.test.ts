import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoBoxSeal, cryptoBoxSealOpen, fromBase64, toHex, type X25519Key } from '@trucom/crypto';
import {
  genesisProviders,
  GENESIS_TIME,
  msgCreateDeal,
  msgGrant,
  msgRegisterContent,
  msgRevoke,
  msgSetContentKeys,
  ok,
  testAccounts,
  TestChain,
  testKeyHolderKey,
  type TestAccount,
} from '../../../../contracts/app/dist/testing.js';
import { startTestRest, type TestRest } from './testing.js';

const CID = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
let chain: TestChain;
let rest: TestRest;
let owner: TestAccount, viewer: TestAccount, other: TestAccount, providers: TestAccount[];
let holder: X25519Key;
const KEY = new Uint8Array(16).fill(0x5a);
const get = (path: string) => rest.get(path);

before(async () => {
  const accounts = await testAccounts(6, 900);
  [owner, viewer, other] = accounts;
  providers = accounts.slice(3);
  holder = await testKeyHolderKey(providers[0]!);
  const genesis = genesisProviders(providers, [{ holder: providers[0]!, key: holder }]);
  chain = await TestChain.start({ balances: [...accounts.map((a) => ({ address: a.address, coins: '1000000000utru' })), genesis.collateral], minGasPrice: null, appState: genesis.appState });
  await ok(chain, owner, [msgCreateDeal(owner.address, { cid: CID, size: 5000, duration: 3, kind: 'stream' })]);
  await ok(chain, owner, [msgRegisterContent(owner.address, 'movie', 1, ['k0', 'k1'])]);
  await ok(chain, owner, [msgSetContentKeys(owner.address, 'movie', [{ keyId: 'k1', holder: providers[0]!.address, sealed: cryptoBoxSeal(KEY, holder.publicKey) }])]);
  await ok(chain, owner, [msgGrant(owner.address, 'movie', viewer.address)]);
  await ok(chain, owner, [msgGrant(owner.address, 'movie', other.address, GENESIS_TIME.seconds + 3600)]);
  await ok(chain, owner, [msgRevoke(owner.address, 'movie', other.address)]);
  rest = await startTestRest(chain);
});

after(async () => {
  await rest?.app.close();
  await chain?.destroy();
});

describe('REST /trucom/grants/v1', () => {
  test('contents/{content}: owner, deal, key ids and the holders of each key', async () => {
    const { status, body } = await get('/trucom/grants/v1/contents/movie');
    assert.equal(status, 200);
    assert.deepEqual(body, {
      id: 'movie',
      owner: owner.address,
      deal_id: 1,
      key_ids: ['k0', 'k1'],
      keys: [
        { key_id: 'k0', holders: [] },
        { key_id: 'k1', holders: [providers[0]!.address] },
      ],
      created_height: 2,
    });
  });

  test('contents/{content}/grants and /grants/{grantee}: each grant with its active flag at the committed height', async () => {
    const list = await get('/trucom/grants/v1/contents/movie/grants');
    assert.equal(list.status, 200);
    assert.deepEqual([list.body.content, list.body.height], ['movie', chain.height]);
    const byGrantee = Object.fromEntries(list.body.grants.map((g: { grantee: string }) => [g.grantee, g]));
    assert.deepEqual(byGrantee[viewer.address], { content: 'movie', grantee: viewer.address, granter: owner.address, expiry: 0, revoked: false, active: true, granted_height: 4, revoked_height: 0 });
    assert.deepEqual([byGrantee[other.address].active, byGrantee[other.address].revoked, byGrantee[other.address].revoked_height, byGrantee[other.address].expiry], [false, true, 6, GENESIS_TIME.seconds + 3600]);
    const one = await get(`/trucom/grants/v1/contents/movie/grants/${viewer.address}`);
    assert.equal(one.status, 200);
    assert.deepEqual([one.body.active, one.body.granted_height, one.body.height], [true, 4, chain.height]);
  });

  test('grants?grantee=: a viewer\'s grants across contents', async () => {
    const { body } = await get(`/trucom/grants/v1/grants?grantee=${other.address}`);
    assert.deepEqual([body.grantee, body.grants.length, body.grants[0].content, body.grants[0].active], [other.address, 1, 'movie', false]);
    assert.deepEqual((await get(`/trucom/grants/v1/grants?grantee=${providers[1]!.address}`)).body.grants, []);
  });

  test('key_holders and contents/{content}/keys/{key_id}/{holder}: the sealed key opens with the holder\'s key', async () => {
    const h = await get(`/trucom/grants/v1/key_holders/${providers[0]!.address}`);
    assert.deepEqual(h.body, { holder: providers[0]!.address, x25519_pubkey: toHex(holder.publicKey), updated_height: 0 });
    assert.deepEqual((await get('/trucom/grants/v1/key_holders')).body.key_holders, [h.body]);
    const k = await get(`/trucom/grants/v1/contents/movie/keys/k1/${providers[0]!.address}`);
    assert.equal(k.status, 200);
    assert.deepEqual(cryptoBoxSealOpen(fromBase64(k.body.sealed), holder), KEY);
  });

  test('unknown → 404 with a message; malformed → 400', async () => {
    const missing = await get('/trucom/grants/v1/contents/nothing');
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /content nothing not found/);
    assert.equal((await get('/trucom/grants/v1/contents/Bad_Id')).status, 400);
    assert.equal((await get('/trucom/grants/v1/contents/nothing/grants')).status, 404);
    assert.equal((await get(`/trucom/grants/v1/contents/movie/grants/${providers[1]!.address}`)).status, 404);
    assert.equal((await get('/trucom/grants/v1/contents/movie/grants/nope')).status, 400);
    assert.equal((await get('/trucom/grants/v1/grants')).status, 400);
    assert.equal((await get('/trucom/grants/v1/grants?grantee=nope')).status, 400);
    assert.equal((await get(`/trucom/grants/v1/key_holders/${providers[1]!.address}`)).status, 404);
    assert.equal((await get('/trucom/grants/v1/key_holders/nope')).status, 400);
    assert.equal((await get(`/trucom/grants/v1/contents/movie/keys/k0/${providers[0]!.address}`)).status, 404);
  });
});
