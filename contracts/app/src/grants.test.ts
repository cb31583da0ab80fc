import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cryptoBoxSeal, cryptoBoxSealOpen, generateX25519Key, toHex, type X25519Key } from '@trucom/crypto';
import { trucom } from '@trucom/proto';
import {
  advanceTo,
  attrs,
  fails,
  firstResponse,
  genesisProviders,
  GENESIS_TIME,
  msgCancelDeal,
  msgCreateDeal,
  msgGrant,
  msgRegisterContent,
  msgRevoke,
  msgSetContentDeal,
  msgSetContentKeys,
  msgSetKeyHolderKey,
  ok,
  testAccounts,
  TestChain,
  testKeyHolderKey,
  type TestAccount,
} from './testing.js';

const mpb = trucom.market.v1;
const pb = trucom.grants.v1;
const CID = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
/** TestChain block times: genesis + 5 s per height. */
const timeAt = (height: number) => GENESIS_TIME.seconds + 5 * height;

let owner: TestAccount, other: TestAccount, viewer: TestAccount, viewer2: TestAccount, stranger: TestAccount;
let providers: TestAccount[];
/** Key-holder keys of providers 0..3 (derived from their account keys, as gateways do). */
let holderKeys: X25519Key[];
let chain: TestChain;
let streamDeal: number, otherDeal: number, cancelledDeal: number;
/** The clear 16-byte keys of "show", by key id. */
const clearKeys = new Map<string, Uint8Array>();

/** A query the chain refused: its code and log. */
class Refusal {
  constructor(
    readonly code: number,
    readonly log: string,
  ) {}
}

async function q<T>(path: string, request: Uint8Array, decode: (b: Uint8Array) => T): Promise<T | Refusal> {
  const r = await chain.query(`/trucom.grants.v1.Query/${path}`, request);
  return r.code === 0 ? decode(r.value) : new Refusal(r.code, r.log);
}
const content = (id: string) => q('Content', pb.QueryContentRequest.encode({ content: id }).finish(), (b) => pb.QueryContentResponse.decode(b));
const contentKey = (id: string, keyId: string, holder: string) => q('ContentKey', pb.QueryContentKeyRequest.encode({ content: id, keyId, holder }).finish(), (b) => pb.QueryContentKeyResponse.decode(b).key as trucom.grants.v1.ContentKey);
const grant = (id: string, grantee: string) => q('Grant', pb.QueryGrantRequest.encode({ content: id, grantee }).finish(), (b) => pb.QueryGrantResponse.decode(b));
const grants = (id: string) => q('Grants', pb.QueryGrantsRequest.encode({ content: id }).finish(), (b) => pb.QueryGrantsResponse.decode(b));
const grantsOf = (grantee: string) => q('GrantsOf', pb.QueryGrantsOfRequest.encode({ grantee }).finish(), (b) => pb.QueryGrantsResponse.decode(b));
const keyHolder = (holder: string) => q('KeyHolder', pb.QueryKeyHolderRequest.encode({ holder }).finish(), (b) => pb.QueryKeyHolderResponse.decode(b).keyHolder as trucom.grants.v1.KeyHolder);

function found<R>(r: R): Exclude<R, Refusal> {
  if (r instanceof Refusal) assert.fail(`query refused: ${r.code} ${r.log}`);
  return r as Exclude<R, Refusal>;
}
function refused(r: unknown, code: number, log?: RegExp): void {
  assert.ok(r instanceof Refusal, `expected code ${code}, the query answered`);
  assert.equal(r.code, code, r.log);
  if (log) assert.match(r.log, log);
}

async function createDeal(account: TestAccount, kind = 'stream'): Promise<number> {
  const { tx } = await ok(chain, account, [msgCreateDeal(account.address, { cid: CID, kind, duration: 20 })]);
  return mpb.MsgCreateDealResponse.decode(firstResponse(tx).value).dealId;
}

const sealFor = (holder: number, key: Uint8Array) => ({ holder: providers[holder]!.address, sealed: cryptoBoxSeal(key, holderKeys[holder]!.publicKey) });

before(async () => {
  const accounts = await testAccounts(9, 800);
  [owner, other, viewer, viewer2, stranger] = accounts;
  providers = accounts.slice(5);
  holderKeys = await Promise.all(providers.map(testKeyHolderKey));
  // Providers 0 and 1 are key holders from genesis; 2 publishes its key by tx; 3 never does.
  const genesis = genesisProviders(providers, [0, 1].map((i) => ({ holder: providers[i]!, key: holderKeys[i]! })));
  chain = await TestChain.start({ balances: [...accounts.map((a) => ({ address: a.address, coins: '1000000000utru' })), genesis.collateral], minGasPrice: null, appState: genesis.appState });
  streamDeal = await createDeal(owner);
  otherDeal = await createDeal(other);
  cancelledDeal = await createDeal(owner, 'site');
  await ok(chain, owner, [msgCancelDeal(owner.address, cancelledDeal)]);
});

after(() => chain.destroy());

describe('grants: key holders', () => {
  test('genesis key holders are queryable; a provider publishes its key by tx', async () => {
    const g = found(await keyHolder(providers[0]!.address));
    assert.deepEqual([g.holder, toHex(g.x25519Pubkey), g.updatedHeight], [providers[0]!.address, toHex(holderKeys[0]!.publicKey), 0]);
    const { tx } = await ok(chain, providers[2]!, [msgSetKeyHolderKey(providers[2]!.address, holderKeys[2]!.publicKey)]);
    assert.deepEqual(attrs(tx.events, 'set_key_holder_key'), [{ holder: providers[2]!.address, x25519_pubkey: toHex(holderKeys[2]!.publicKey), height: String(chain.height), msg_index: '0' }]);
    assert.equal(found(await keyHolder(providers[2]!.address)).updatedHeight, chain.height);
    const all = pb.QueryKeyHoldersResponse.decode((await chain.query('/trucom.grants.v1.Query/KeyHolders', new Uint8Array())).value).keyHolders;
    assert.deepEqual(all.map((k) => k.holder).sort(), providers.slice(0, 3).map((p) => p.address).sort());
  });

  test('only registered providers (11); the key must be a 32-byte X25519 point (12)', async () => {
    await fails(chain, stranger, [msgSetKeyHolderKey(stranger.address, generateX25519Key().publicKey)], 'grants', 11, /not a registered storage provider/);
    await fails(chain, providers[3]!, [msgSetKeyHolderKey(providers[3]!.address, new Uint8Array(31).fill(9))], 'grants', 12, /32 bytes, got 31/);
    await fails(chain, providers[3]!, [msgSetKeyHolderKey(providers[3]!.address, new Uint8Array(32))], 'grants', 12, /low-order/);
    refused(await keyHolder(providers[3]!.address), 22, /key holder .* not found/);
    refused(await keyHolder('nope'), 7);
  });
});

describe('grants: contents and their sealed keys', () => {
  test('register: the owner\'s active deal and its key ids', async () => {
    const { tx } = await ok(chain, owner, [msgRegisterContent(owner.address, 'show', streamDeal, ['k0', 'k1', 'k2'])]);
    assert.deepEqual(attrs(tx.events, 'register_content'), [{ content: 'show', owner: owner.address, deal_id: String(streamDeal), key_ids: 'k0,k1,k2', height: String(chain.height), msg_index: '0' }]);
    const c = found(await content('show'));
    assert.deepEqual([c.content!.id, c.content!.owner, c.content!.dealId, c.content!.keyIds, c.content!.createdHeight], ['show', owner.address, streamDeal, ['k0', 'k1', 'k2'], chain.height]);
    assert.deepEqual(c.keys.map((k) => [k.keyId, k.holders]), [['k0', []], ['k1', []], ['k2', []]]);
  });

  test('content ids are [a-z0-9-]{1,64} (2) and unique (3)', async () => {
    for (const bad of ['', 'Show', 'a_b', 'a/b', 'a.b', 'x'.repeat(65)]) await fails(chain, owner, [msgRegisterContent(owner.address, bad, streamDeal, ['k0'])], 'grants', 2);
    await ok(chain, owner, [msgRegisterContent(owner.address, 'x'.repeat(64), streamDeal, ['k0'])]);
    await fails(chain, owner, [msgRegisterContent(owner.address, 'show', streamDeal, ['k0'])], 'grants', 3, /already registered/);
  });

  test('the deal must exist (6), be the owner\'s (7) and be active (8)', async () => {
    await fails(chain, owner, [msgRegisterContent(owner.address, 'c1', 999, ['k0'])], 'grants', 6, /deal 999 does not exist/);
    await fails(chain, owner, [msgRegisterContent(owner.address, 'c1', otherDeal, ['k0'])], 'grants', 7, /belongs to/);
    await fails(chain, owner, [msgRegisterContent(owner.address, 'c1', cancelledDeal, ['k0'])], 'grants', 8, /cancelled/);
  });

  test('key ids: 1..4096, well-formed, distinct (9)', async () => {
    await fails(chain, owner, [msgRegisterContent(owner.address, 'c1', streamDeal, [])], 'grants', 9, /1 to 4096 key ids, got 0/);
    await fails(chain, owner, [msgRegisterContent(owner.address, 'c1', streamDeal, ['k0', 'k0'])], 'grants', 9, /appears twice/);
    await fails(chain, owner, [msgRegisterContent(owner.address, 'c1', streamDeal, ['k/0'])], 'grants', 9, /not a key id/);
    await fails(chain, owner, [msgRegisterContent(owner.address, 'c1', streamDeal, ['k'.repeat(65)])], 'grants', 9);
    await fails(chain, owner, [msgRegisterContent(owner.address, 'c1', streamDeal, Array.from({ length: 4097 }, (_, i) => `k${i}`))], 'grants', 9, /got 4097/);
    await ok(chain, owner, [msgRegisterContent(owner.address, 'c1', streamDeal, Array.from({ length: 4096 }, (_, i) => `k${i}`))]);
  });

  test('keys sealed to the chosen holders open with each holder\'s private key', async () => {
    for (const id of ['k0', 'k1', 'k2']) clearKeys.set(id, new Uint8Array(randomBytes(16)));
    const keys = [...clearKeys].flatMap(([keyId, key]) => [0, 1].map((h) => ({ keyId, ...sealFor(h, key) })));
    const { tx } = await ok(chain, owner, [msgSetContentKeys(owner.address, 'show', keys)]);
    const ev = attrs(tx.events, 'set_content_keys')[0]!;
    assert.deepEqual([ev.content, ev.owner, ev.key_ids, ev.holders, ev.count], ['show', owner.address, 'k0,k1,k2', [providers[0]!.address, providers[1]!.address].sort().join(','), '6']);
    for (const [keyId, key] of clearKeys) {
      for (const h of [0, 1]) {
        const stored = found(await contentKey('show', keyId, providers[h]!.address));
        assert.deepEqual([stored.content, stored.keyId, stored.holder, stored.sealed.length, stored.height], ['show', keyId, providers[h]!.address, 64, chain.height]);
        assert.deepEqual(cryptoBoxSealOpen(stored.sealed, holderKeys[h]!), key);
        assert.throws(() => cryptoBoxSealOpen(stored.sealed, holderKeys[1 - h]!), /authentication failed/, 'sealed to one holder only');
      }
    }
    refused(await contentKey('show', 'k0', providers[2]!.address), 22, /key k0 of content show for holder .* not found/);
    const c = found(await content('show'));
    assert.deepEqual(c.keys.map((k) => [k.keyId, k.holders]), ['k0', 'k1', 'k2'].map((id) => [id, [providers[0]!.address, providers[1]!.address].sort()]));
  });

  test('a later entry replaces (key id, holder); other entries stay; a holder is added', async () => {
    const before = found(await contentKey('show', 'k1', providers[1]!.address));
    const k0 = found(await contentKey('show', 'k0', providers[0]!.address));
    const rotated = new Uint8Array(randomBytes(16));
    await ok(chain, owner, [msgSetContentKeys(owner.address, 'show', [{ keyId: 'k0', ...sealFor(0, rotated) }, { keyId: 'k1', ...sealFor(2, clearKeys.get('k1')!) }])]);
    const now = found(await contentKey('show', 'k0', providers[0]!.address));
    assert.notDeepEqual(now.sealed, k0.sealed);
    assert.deepEqual(cryptoBoxSealOpen(now.sealed, holderKeys[0]!), rotated);
    assert.deepEqual(found(await contentKey('show', 'k1', providers[1]!.address)), before);
    assert.deepEqual(cryptoBoxSealOpen(found(await contentKey('show', 'k1', providers[2]!.address)).sealed, holderKeys[2]!), clearKeys.get('k1'));
    assert.deepEqual(found(await content('show')).keys.find((k) => k.keyId === 'k1')!.holders, [providers[0]!.address, providers[1]!.address, providers[2]!.address].sort());
    clearKeys.set('k0', rotated);
  });

  test('set keys: owner only (5), known content (4) and key ids (10), key holders only (13), 64-byte boxes (14), 1..1024 distinct entries (15)', async () => {
    const key = new Uint8Array(16).fill(3);
    const entry = { keyId: 'k0', ...sealFor(0, key) };
    await fails(chain, other, [msgSetContentKeys(other.address, 'show', [entry])], 'grants', 5, /belongs to/);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'nothing', [entry])], 'grants', 4, /not registered/);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'show', [{ ...entry, keyId: 'k9' }])], 'grants', 10, /declares no key id "k9"/);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'show', [{ ...entry, holder: providers[3]!.address }])], 'grants', 13, /no key-holder key/);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'show', [{ ...entry, holder: stranger.address }])], 'grants', 13);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'show', [{ ...entry, sealed: entry.sealed.subarray(0, 63) }])], 'grants', 14, /64 bytes, got 63/);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'show', [{ ...entry, sealed: cryptoBoxSeal(new Uint8Array(32), holderKeys[0]!.publicKey) }])], 'grants', 14, /got 80/);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'show', [])], 'grants', 15, /1 to 1024 keys, got 0/);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'show', [entry, entry])], 'grants', 15, /appears twice/);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'c1', Array.from({ length: 1025 }, (_, i) => ({ ...entry, keyId: `k${i}` })))], 'grants', 15, /got 1025/);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'show', [{ ...entry, keyId: 'k 0' }])], 'grants', 9);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'show', [{ ...entry, holder: 'nope' }])], 'sdk', 7, /invalid holder address/);
    await fails(chain, owner, [msgSetContentKeys(owner.address, 'Bad', [entry])], 'grants', 2);
    // Nothing of the refused messages was stored.
    assert.deepEqual(cryptoBoxSealOpen(found(await contentKey('show', 'k0', providers[0]!.address)).sealed, holderKeys[0]!), clearKeys.get('k0'));
    await ok(chain, owner, [msgSetContentKeys(owner.address, 'c1', Array.from({ length: 1024 }, (_, i) => ({ ...entry, keyId: `k${i}` })))]);
  });

  test('queries: unknown content is NotFound (22), a malformed id is 18', async () => {
    refused(await content('nothing'), 22, /content nothing not found/);
    refused(await content('Bad_Id'), 18);
    refused(await contentKey('nothing', 'k0', providers[0]!.address), 22, /content nothing not found/);
    refused(await contentKey('show', 'k/0', providers[0]!.address), 18);
    refused(await contentKey('show', 'k0', 'nope'), 7);
  });
});

describe('grants: grant, revoke, re-grant, expiry by block time', () => {
  test('grant: owner only; the grant is active from its block on', async () => {
    await fails(chain, other, [msgGrant(other.address, 'show', viewer.address)], 'grants', 5, /belongs to/);
    await fails(chain, owner, [msgGrant(owner.address, 'nothing', viewer.address)], 'grants', 4);
    refused(await grant('show', viewer.address), 22, /grant of content show to .* not found/);
    const { tx } = await ok(chain, owner, [msgGrant(owner.address, 'show', viewer.address)]);
    assert.deepEqual(attrs(tx.events, 'grant'), [{ content: 'show', grantee: viewer.address, owner: owner.address, expiry: '0', height: String(chain.height), msg_index: '0' }]);
    const g = found(await grant('show', viewer.address));
    assert.deepEqual(
      [g.grant!.content, g.grant!.grantee, g.grant!.granter, g.grant!.expiry, g.grant!.revoked, g.grant!.grantedHeight, g.grant!.revokedHeight, g.active, g.height],
      ['show', viewer.address, owner.address, 0, false, chain.height, 0, true, chain.height],
    );
  });

  test('revoke: inactive from the revoking block on; a second revoke is 18, a revoke of nothing 17', async () => {
    await fails(chain, other, [msgRevoke(other.address, 'show', viewer.address)], 'grants', 5);
    const { tx } = await ok(chain, owner, [msgRevoke(owner.address, 'show', viewer.address)]);
    const revokedAt = chain.height;
    assert.deepEqual(attrs(tx.events, 'revoke'), [{ content: 'show', grantee: viewer.address, owner: owner.address, expiry: '0', height: String(revokedAt), msg_index: '0' }]);
    const g = found(await grant('show', viewer.address));
    assert.deepEqual([g.active, g.grant!.revoked, g.grant!.revokedHeight, g.height], [false, true, revokedAt, revokedAt]);
    await fails(chain, owner, [msgRevoke(owner.address, 'show', viewer.address)], 'grants', 18, new RegExp(`already revoked at height ${revokedAt}`));
    await fails(chain, owner, [msgRevoke(owner.address, 'show', viewer2.address)], 'grants', 17, /holds no grant of content show/);
    await fails(chain, owner, [msgRevoke(owner.address, 'nothing', viewer.address)], 'grants', 4);
  });

  test('re-grant re-activates a revoked grant', async () => {
    const revokedAt = found(await grant('show', viewer.address)).grant!.revokedHeight;
    await ok(chain, owner, [msgGrant(owner.address, 'show', viewer.address)]);
    const g = found(await grant('show', viewer.address));
    assert.deepEqual([g.active, g.grant!.revoked, g.grant!.grantedHeight, g.grant!.revokedHeight], [true, false, chain.height, revokedAt]);
  });

  test('an expiry is judged by block time: active while expiry > the block\'s time; an expiry already reached is 16', async () => {
    const next = chain.height + 1;
    await fails(chain, owner, [msgGrant(owner.address, 'show', viewer2.address, timeAt(next))], 'grants', 16, /is not after this block's time/);
    const expiry = timeAt(chain.height + 3);
    await ok(chain, owner, [msgGrant(owner.address, 'show', viewer2.address, expiry)]);
    const h = chain.height;
    assert.equal(found(await grant('show', viewer2.address)).active, true);
    await advanceTo(chain, h + 1);
    assert.equal(timeAt(h + 1), expiry - 5);
    assert.equal(found(await grant('show', viewer2.address)).active, true);
    await advanceTo(chain, h + 2);
    const g = found(await grant('show', viewer2.address));
    assert.deepEqual([g.active, g.grant!.revoked, g.height], [false, false, h + 2], 'expired at the block whose time reaches the expiry');
    // Revoking an expired grant is allowed; re-granting with no expiry brings it back.
    await ok(chain, owner, [msgRevoke(owner.address, 'show', viewer2.address)]);
    await ok(chain, owner, [msgGrant(owner.address, 'show', viewer2.address, 0)]);
    assert.equal(found(await grant('show', viewer2.address)).active, true);
    await ok(chain, owner, [msgGrant(owner.address, 'show', viewer2.address, timeAt(chain.height + 2))]);
    await advanceTo(chain, chain.height + 1);
    assert.equal(found(await grant('show', viewer2.address)).active, false, 'a re-grant replaces the expiry');
  });

  test('Grants (per content) and GrantsOf (per viewer) list each grant with its active flag', async () => {
    await ok(chain, owner, [msgGrant(owner.address, 'c1', viewer.address)]);
    const list = found(await grants('show'));
    assert.equal(list.height, chain.height);
    assert.deepEqual(
      list.grants.map((s) => [s.grant!.grantee, s.active]).sort(),
      [
        [viewer.address, true],
        [viewer2.address, false],
      ].sort(),
    );
    const mine = found(await grantsOf(viewer.address));
    assert.deepEqual(mine.grants.map((s) => [s.grant!.content, s.active]), [['c1', true], ['show', true]]);
    assert.deepEqual(found(await grantsOf(stranger.address)).grants, []);
    assert.deepEqual(found(await grants('x'.repeat(64))).grants, []);
    refused(await grants('nothing'), 22);
    refused(await grantsOf('nope'), 7);
    refused(await grant('show', 'nope'), 7);
    refused(await grant('nothing', viewer.address), 22, /content nothing not found/);
  });

  test('once every expiry has passed, empty blocks write nothing (the app hash stays)', async () => {
    await advanceTo(chain, chain.height + 2);
    const hash = chain.appHash;
    await advanceTo(chain, chain.height + 2);
    assert.deepEqual(chain.appHash, hash);
    // A new expiring grant makes blocks record their time again until it runs out.
    await ok(chain, owner, [msgGrant(owner.address, 'c1', viewer2.address, timeAt(chain.height + 3))]);
    const h = chain.height;
    const atGrant = chain.appHash;
    await advanceTo(chain, h + 1);
    assert.notDeepEqual(chain.appHash, atGrant, 'an empty block records its time');
    assert.equal(found(await grant('c1', viewer2.address)).active, true);
    await advanceTo(chain, h + 2);
    assert.equal(found(await grant('c1', viewer2.address)).active, false);
    const after = chain.appHash;
    await advanceTo(chain, h + 4);
    assert.deepEqual(chain.appHash, after);
  });

  test('grantee and owner must be addresses (sdk 7); a malformed content id is 2', async () => {
    await fails(chain, owner, [msgGrant(owner.address, 'show', 'nope')], 'sdk', 7, /invalid grantee address/);
    await fails(chain, owner, [msgRevoke(owner.address, 'show', 'tru1xyz')], 'sdk', 7);
    await fails(chain, owner, [msgGrant(owner.address, 'Show', viewer.address)], 'grants', 2);
  });
});

describe('grants: a live stream is registered without a deal and gets one when it ends', () => {
  test('deal 0 registers a live content whose keys are sealed and granted like any other', async () => {
    await ok(chain, owner, [msgRegisterContent(owner.address, 'live', 0, ['k0', 'k1'])]);
    assert.equal(found(await content('live')).content!.dealId, 0);
    await ok(chain, owner, [msgSetContentKeys(owner.address, 'live', [{ keyId: 'k1', ...sealFor(0, new Uint8Array(16).fill(1)) }]), msgGrant(owner.address, 'live', viewer.address)]);
    assert.equal(found(await grant('live', viewer.address)).active, true);
  });

  test('set deal: owner only (5), known content (4), the owner\'s (7) active (8) existing (6) deal, once (19)', async () => {
    const liveDeal = await createDeal(owner);
    await fails(chain, other, [msgSetContentDeal(other.address, 'live', otherDeal)], 'grants', 5, /belongs to/);
    await fails(chain, owner, [msgSetContentDeal(owner.address, 'nothing', liveDeal)], 'grants', 4, /not registered/);
    await fails(chain, owner, [msgSetContentDeal(owner.address, 'live', otherDeal)], 'grants', 7, /belongs to/);
    await fails(chain, owner, [msgSetContentDeal(owner.address, 'live', cancelledDeal)], 'grants', 8, /cancelled/);
    await fails(chain, owner, [msgSetContentDeal(owner.address, 'live', 0)], 'grants', 6, /deal 0 does not exist/);
    await fails(chain, owner, [msgSetContentDeal(owner.address, 'Bad', liveDeal)], 'grants', 2);
    assert.equal(found(await content('live')).content!.dealId, 0, 'nothing refused was stored');
    const { tx } = await ok(chain, owner, [msgSetContentDeal(owner.address, 'live', liveDeal)]);
    assert.deepEqual(attrs(tx.events, 'set_content_deal'), [{ content: 'live', owner: owner.address, deal_id: String(liveDeal), height: String(chain.height), msg_index: '0' }]);
    assert.equal(found(await content('live')).content!.dealId, liveDeal);
    await fails(chain, owner, [msgSetContentDeal(owner.address, 'live', liveDeal)], 'grants', 19, /under deal \d+ already/);
    // a content registered with a deal keeps it
    await fails(chain, owner, [msgSetContentDeal(owner.address, 'show', liveDeal)], 'grants', 19);
  });
});
