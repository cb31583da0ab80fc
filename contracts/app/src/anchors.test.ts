import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Registry, type EncodeObject, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import type { TxResult } from '@trucom/chain';
import { toHex } from '@trucom/crypto';
import { anchorsRegistryTypes, MAX_ANCHOR_COUNT } from '@trucom/anchors';
import { trucom } from '@trucom/proto';
import { attrs, firstResponse, GENESIS_TIME, signTx, testAccounts, TestChain, type TestAccount } from './testing.js';

const pb = trucom.anchors.v1;
const registry = new Registry([...defaultRegistryTypes, ...(anchorsRegistryTypes as [string, GeneratedType][])]);
/** What the CLI pays at the devnet's 0.01utru gas price for a 100 000-gas limit. */
const FEE = { amount: [{ denom: 'utru', amount: '1000' }], gas: '100000' };

const msgAnchor = (sender: string, root: Uint8Array, count: number, namespace = 'msg'): EncodeObject => ({ typeUrl: '/trucom.anchors.v1.MsgAnchor', value: { sender, root, count, namespace } });

let alice: TestAccount, bob: TestAccount;
let chain: TestChain;

async function deliver(account: TestAccount, msgs: readonly EncodeObject[]): Promise<TxResult> {
  const data = await chain.signerData(account.address);
  const block = await chain.deliver([await signTx(account, msgs, { ...data, fee: FEE, registry })]);
  return block.txResults[0]!;
}
async function ok(account: TestAccount, msgs: readonly EncodeObject[]): Promise<TxResult> {
  const tx = await deliver(account, msgs);
  assert.equal(tx.code, 0, tx.log);
  return tx;
}
async function fails(account: TestAccount, msgs: readonly EncodeObject[], codespace: string, code: number, log?: RegExp): Promise<void> {
  const tx = await deliver(account, msgs);
  assert.equal(`${tx.codespace}/${tx.code}`, `${codespace}/${code}`, tx.log);
  if (log) assert.match(tx.log, log);
}
async function anchors(root: Uint8Array, namespace = ''): Promise<{ code: number; log: string; anchors: trucom.anchors.v1.IAnchor[] }> {
  const r = await chain.query('/trucom.anchors.v1.Query/Anchor', pb.QueryAnchorRequest.encode({ root, namespace }).finish());
  return { code: r.code, log: r.log, anchors: r.code === 0 ? pb.QueryAnchorResponse.decode(r.value).anchors : [] };
}

before(async () => {
  [alice, bob] = await testAccounts(2, 900);
  chain = await TestChain.start({ balances: [alice, bob].map((a) => ({ address: a.address, coins: '1000000000utru' })) });
});
after(() => chain.destroy());

describe('anchors', () => {
  test('MsgAnchor records (root, namespace) → height, block time, sender, count; queryable by root', async () => {
    const root = new Uint8Array(randomBytes(32));
    const tx = await ok(alice, [msgAnchor(alice.address, root, 12)]);
    const time = GENESIS_TIME.seconds + 5 * chain.height;
    assert.equal(pb.MsgAnchorResponse.decode(firstResponse(tx).value).height, chain.height);
    assert.deepEqual(attrs(tx.events, 'anchor'), [{ root: toHex(root), namespace: 'msg', sender: alice.address, count: '12', height: String(chain.height), time: String(time), msg_index: '0' }]);
    const r = await anchors(root);
    assert.equal(r.code, 0, r.log);
    assert.deepEqual(r.anchors.map((a) => [toHex(a.root!), a.namespace, a.sender, a.count, a.height, a.time]), [[toHex(root), 'msg', alice.address, 12, chain.height, time]]);
    assert.equal((await anchors(root, 'msg')).anchors.length, 1);
  });

  test('the same root in the same namespace is refused (5); in another namespace it is a separate anchor', async () => {
    const root = new Uint8Array(randomBytes(32));
    await ok(alice, [msgAnchor(alice.address, root, 1)]);
    const first = chain.height;
    await fails(bob, [msgAnchor(bob.address, root, 1)], 'anchors', 5, new RegExp(`already anchored in namespace "msg" at height ${first} by ${alice.address}`));
    await ok(bob, [msgAnchor(bob.address, root, 3, 'other')]);
    const all = (await anchors(root)).anchors;
    assert.deepEqual(all.map((a) => [a.namespace, a.sender, a.height]), [['msg', alice.address, first], ['other', bob.address, chain.height]]);
    assert.deepEqual((await anchors(root, 'other')).anchors.map((a) => a.sender), [bob.address]);
  });

  test('roots are 32 bytes (2); counts 1..2^24 (3); namespaces [A-Za-z0-9._:-]{1,64} (4); the sender signs (sdk 7)', async () => {
    await fails(alice, [msgAnchor(alice.address, new Uint8Array(31), 1)], 'anchors', 2, /32 bytes, got 31/);
    await fails(alice, [msgAnchor(alice.address, new Uint8Array(33), 1)], 'anchors', 2, /got 33/);
    await fails(alice, [msgAnchor(alice.address, new Uint8Array(), 1)], 'anchors', 2, /got 0/);
    const root = new Uint8Array(randomBytes(32));
    await fails(alice, [msgAnchor(alice.address, root, 0)], 'anchors', 3, /1 to 16777216 messages, got 0/);
    await fails(alice, [msgAnchor(alice.address, root, MAX_ANCHOR_COUNT + 1)], 'anchors', 3, /got 16777217/);
    for (const ns of ['', 'a/b', 'x'.repeat(65), 'with space']) await fails(alice, [msgAnchor(alice.address, root, 1, ns)], 'anchors', 4, /is not a namespace/);
    await fails(alice, [msgAnchor('nope', root, 1)], 'sdk', 7, /invalid sender address/);
    await ok(alice, [msgAnchor(alice.address, root, MAX_ANCHOR_COUNT, 'x'.repeat(64))]);
    // Nothing of the refused messages was stored.
    assert.deepEqual((await anchors(root)).anchors.map((a) => a.namespace), ['x'.repeat(64)]);
  });

  test('a tx signed by someone else than the sender is refused (sdk 8)', async () => {
    const tx = await deliver(bob, [msgAnchor(alice.address, new Uint8Array(randomBytes(32)), 1)]);
    assert.notEqual(tx.code, 0);
    assert.equal(tx.codespace, 'sdk');
  });

  test('gas does not grow with the count: one anchor of 1 message or of 16 million costs the same', async () => {
    const gas: bigint[] = [];
    for (const count of [1, 1000, MAX_ANCHOR_COUNT]) gas.push(BigInt((await ok(alice, [msgAnchor(alice.address, new Uint8Array(randomBytes(32)), count)])).gasUsed));
    // Only the count's varint bytes differ (1 vs 4): tx-size and store-write gas per byte.
    assert.ok(gas[2]! - gas[0]! < 200n, `gas ${gas.join(', ')}`);
    assert.ok(gas[0]! < 100_000n, `fits the 100 000-gas limit (1000 utru at 0.01utru): ${gas[0]}`);
  });

  test('queries: unknown root → NotFound (22); malformed root or namespace → 18', async () => {
    const r = await anchors(new Uint8Array(32).fill(1));
    assert.equal(r.code, 22);
    assert.match(r.log, /anchor of root 0101.* not found/);
    assert.equal((await anchors(new Uint8Array(32).fill(1), 'msg')).code, 22);
    assert.equal((await anchors(new Uint8Array(16))).code, 18);
    assert.equal((await anchors(new Uint8Array(32), 'a/b')).code, 18);
  });
});
