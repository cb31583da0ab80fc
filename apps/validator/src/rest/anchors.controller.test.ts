import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { anchorsRegistryTypes } from '@trucom/anchors';
import { GENESIS_TIME, signTx, testAccounts, TestChain, type TestAccount } from '../../../../contracts/app/dist/testing.js';
import { startTestRest, type TestRest } from './testing.js';

const registry = new Registry([...defaultRegistryTypes, ...(anchorsRegistryTypes as [string, GeneratedType][])]);
const ROOT = 'ab'.repeat(32);
let chain: TestChain, rest: TestRest, alice: TestAccount;

before(async () => {
  [alice] = await testAccounts(1, 950);
  chain = await TestChain.start({ balances: [{ address: alice!.address, coins: '1000000000utru' }], minGasPrice: null });
  const data = await chain.signerData(alice!.address);
  const tx = await signTx(alice!, [{ typeUrl: '/trucom.anchors.v1.MsgAnchor', value: { sender: alice!.address, root: Buffer.from(ROOT, 'hex'), count: 7, namespace: 'msg' } }], { ...data, registry });
  assert.equal((await chain.deliver([tx])).txResults[0]!.code, 0);
  rest = await startTestRest(chain);
});
after(async () => {
  await rest.app.close();
  await chain.destroy();
});

test('GET /trucom/anchors/v1/anchors/{root}: the anchor; unknown → 404; malformed → 400', async () => {
  const r = await rest.get(`/trucom/anchors/v1/anchors/${ROOT.toUpperCase()}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { anchors: [{ root: ROOT, namespace: 'msg', sender: alice.address, count: '7', height: '1', time: new Date((GENESIS_TIME.seconds + 5) * 1000).toISOString() }] });
  assert.equal((await rest.get(`/trucom/anchors/v1/anchors/${ROOT}?namespace=msg`)).body.anchors.length, 1);
  assert.equal((await rest.get(`/trucom/anchors/v1/anchors/${ROOT}?namespace=other`)).status, 404);
  assert.equal((await rest.get(`/trucom/anchors/v1/anchors/${'cd'.repeat(32)}`)).status, 404);
  assert.equal((await rest.get('/trucom/anchors/v1/anchors/xyz')).status, 400);
});
