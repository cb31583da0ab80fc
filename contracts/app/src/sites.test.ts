import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { trucom } from '@trucom/proto';
import {
  attrs,
  deliverTxs,
  fails,
  firstResponse,
  msgCancelDeal,
  msgCreateDeal,
  msgRegisterProvider,
  msgRegisterSite,
  msgTransferSite,
  msgUpdateSite,
  ok,
  testAccounts,
  TestChain,
  type TestAccount,
} from './testing.js';

const pb = trucom.market.v1;
const spb = trucom.sites.v1;
// Any well-formed UnixFS roots do: the registry checks CIDs against deals, not content.
const SITE_V1 = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
const SITE_V2 = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';

let alice: TestAccount, bob: TestAccount, providers: TestAccount[];
let chain: TestChain;
let aliceV1: number, aliceV2: number, bobDeal: number;

async function site(name: string) {
  const r = await chain.query('/trucom.sites.v1.Query/Site', spb.QuerySiteRequest.encode({ name }).finish());
  return r.code === 0 ? spb.QuerySiteResponse.decode(r.value).site! : r;
}

async function createDeal(owner: TestAccount, cid: string): Promise<number> {
  const { tx } = await ok(chain, owner, [msgCreateDeal(owner.address, { cid, duration: 10 })]);
  return pb.MsgCreateDealResponse.decode(firstResponse(tx).value).dealId;
}

before(async () => {
  const accounts = await testAccounts(5, 600);
  [alice, bob] = accounts;
  providers = accounts.slice(2);
  chain = await TestChain.start({
    balances: accounts.map((a) => ({ address: a.address, coins: '1000000000utru' })),
    minGasPrice: null,
    appState: { market: { params: { epoch_blocks: 5 } } },
  });
  await deliverTxs(chain, providers.map((p) => ({ account: p, msgs: [msgRegisterProvider(p.address)] })));
  aliceV1 = await createDeal(alice, SITE_V1);
  aliceV2 = await createDeal(alice, SITE_V2);
  bobDeal = await createDeal(bob, SITE_V1);
});

after(() => chain.destroy());

describe('sites: a name registry over deals', () => {
  test('register: the name points at the owner\'s deal and its root CID', async () => {
    const { tx } = await ok(chain, alice, [msgRegisterSite(alice.address, 'my-site', SITE_V1, aliceV1)]);
    assert.deepEqual(attrs(tx.events, 'register_site'), [{ name: 'my-site', owner: alice.address, root_cid: SITE_V1, deal_id: String(aliceV1), msg_index: '0' }]);
    const s = await site('my-site');
    assert.ok(!('code' in s));
    assert.deepEqual([s.name, s.owner, s.rootCid, s.dealId, s.createdHeight], ['my-site', alice.address, SITE_V1, aliceV1, chain.height]);
  });

  test('names are DNS labels (2) and unique (3)', async () => {
    for (const bad of ['', 'My-Site', '-lead', 'trail-', 'dot.name', 'under_score', 'x'.repeat(64)]) {
      await fails(chain, bob, [msgRegisterSite(bob.address, bad, SITE_V1, bobDeal)], 'sites', 2);
    }
    await ok(chain, bob, [msgRegisterSite(bob.address, 'x'.repeat(63), SITE_V1, bobDeal)]);
    await ok(chain, bob, [msgRegisterSite(bob.address, '0', SITE_V1, bobDeal)]);
    await fails(chain, bob, [msgRegisterSite(bob.address, 'my-site', SITE_V1, bobDeal)], 'sites', 3, /already registered/);
  });

  test('the deal must exist (6), be the sender\'s (7), hold that root (8); a bad CID is 10', async () => {
    await fails(chain, bob, [msgRegisterSite(bob.address, 'bob', SITE_V1, 999)], 'sites', 6, /deal 999 does not exist/);
    await fails(chain, bob, [msgRegisterSite(bob.address, 'bob', SITE_V1, aliceV1)], 'sites', 7, /belongs to/);
    await fails(chain, bob, [msgRegisterSite(bob.address, 'bob', SITE_V2, bobDeal)], 'sites', 8, /holds/);
    await fails(chain, bob, [msgRegisterSite(bob.address, 'bob', 'not-a-cid', bobDeal)], 'sites', 10);
  });

  test('update: owner only (5), new root + deal; unknown site (4)', async () => {
    await fails(chain, bob, [msgUpdateSite(bob.address, 'my-site', SITE_V1, bobDeal)], 'sites', 5, /belongs to/);
    await fails(chain, alice, [msgUpdateSite(alice.address, 'nope', SITE_V2, aliceV2)], 'sites', 4);
    await fails(chain, alice, [msgUpdateSite(alice.address, 'my-site', SITE_V1, aliceV2)], 'sites', 8);
    const { tx } = await ok(chain, alice, [msgUpdateSite(alice.address, 'my-site', SITE_V2, aliceV2)]);
    assert.equal(attrs(tx.events, 'update_site')[0]!.previous_root_cid, SITE_V1);
    const s = await site('my-site');
    assert.ok(!('code' in s));
    assert.deepEqual([s.rootCid, s.dealId, s.updatedHeight], [SITE_V2, aliceV2, chain.height]);
  });

  test('a cancelled deal cannot back a site (9)', async () => {
    await ok(chain, alice, [msgCancelDeal(alice.address, aliceV1)]);
    await fails(chain, alice, [msgUpdateSite(alice.address, 'my-site', SITE_V1, aliceV1)], 'sites', 9, /cancelled/);
  });

  test('transfer: owner only; the new owner then updates it onto its own deal', async () => {
    await fails(chain, bob, [msgTransferSite(bob.address, 'my-site', bob.address)], 'sites', 5);
    await fails(chain, alice, [msgTransferSite(alice.address, 'my-site', alice.address)], 'sites', 11);
    await ok(chain, alice, [msgTransferSite(alice.address, 'my-site', bob.address)]);
    await fails(chain, alice, [msgUpdateSite(alice.address, 'my-site', SITE_V2, aliceV2)], 'sites', 5);
    await ok(chain, bob, [msgUpdateSite(bob.address, 'my-site', SITE_V1, bobDeal)]);
    const r = await chain.query('/trucom.sites.v1.Query/Sites', spb.QuerySitesRequest.encode({ owner: bob.address }).finish());
    assert.deepEqual(
      spb.QuerySitesResponse.decode(r.value).sites.map((x) => x.name),
      ['0', 'my-site', 'x'.repeat(63)],
    );
  });

  test('queries: unknown name is NotFound (22), a malformed one is 18', async () => {
    const missing = await site('unknown');
    assert.ok('code' in missing && missing.code === 22);
    const bad = await site('Bad_Name');
    assert.ok('code' in bad && bad.code === 18);
  });
});
