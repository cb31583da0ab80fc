import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { TrucomQueries } from '@trucom/client';
import { cryptoBoxSeal, cryptoBoxSealOpen, fromHex, toBase64, toHex, type X25519Key } from '@trucom/crypto';
import { genesisProviders, GENESIS_TIME, msgCreateDeal, msgGrant, msgRegisterContent, msgRevoke, msgSetContentKeys, ok, testAccounts, TestChain, testKeyHolderKey, type TestAccount } from '../../../contracts/app/dist/testing.js';
import type { CliIo } from '../context.js';
import { parseExpiry, registerGrant } from './grant.js';

const NOW = 1_800_000_000;

describe('grant --expiry', () => {
  test('never/0, unix seconds, or a duration from now', () => {
    assert.equal(parseExpiry('never', NOW), 0);
    assert.equal(parseExpiry('0', NOW), 0);
    assert.equal(parseExpiry('1800003600', NOW), 1_800_003_600);
    assert.equal(parseExpiry('90s', NOW), NOW + 90);
    assert.equal(parseExpiry('1h', NOW), NOW + 3600);
    assert.equal(parseExpiry('1h30m', NOW), NOW + 5400);
    assert.equal(parseExpiry('7d', NOW), NOW + 7 * 86_400);
    assert.equal(parseExpiry('2w', NOW), NOW + 14 * 86_400);
  });

  test('past times, zero durations and other words are refused with the accepted forms', () => {
    assert.throws(() => parseExpiry('1700000000', NOW), /in the past/);
    assert.throws(() => parseExpiry('0h', NOW), /no time at all/);
    for (const bad of ['', 'soon', '1y', '-1h', '1.5h', 'h']) assert.throws(() => parseExpiry(bad, NOW), /--expiry must be unix seconds, a duration like 1h/);
  });
});

/**
 * A node answering only `abci_query` (what TrucomQueries and `grant list` use), from a real app on a
 * test chain, in CometBFT 0.38's JSON-RPC shape.
 */
function abciQueryServer(chain: TestChain): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', async () => {
      const call = JSON.parse(body) as { id: number; method: string; params: { path: string; data: string } };
      assert.equal(call.method, 'abci_query');
      const r = await chain.query(call.params.path, fromHex(call.params.data));
      const response = { code: r.code, log: r.log, info: '', index: '0', key: null, value: toBase64(r.value), proofOps: null, height: String(r.height), codespace: r.codespace };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ jsonrpc: '2.0', id: call.id, result: { response } }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('grant list and the typed grants queries of @trucom/client, over abci_query', () => {
  const CID = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
  const KEY = new Uint8Array(16).fill(7);
  let chain: TestChain;
  let server: Server;
  let rpc: string;
  let owner: TestAccount, viewer: TestAccount, gone: TestAccount, providers: TestAccount[];
  let holder: X25519Key;

  before(async () => {
    const accounts = await testAccounts(6, 1000);
    [owner, viewer, gone] = accounts;
    providers = accounts.slice(3);
    holder = await testKeyHolderKey(providers[0]!);
    const genesis = genesisProviders(providers, [{ holder: providers[0]!, key: holder }]);
    chain = await TestChain.start({ balances: [...accounts.map((a) => ({ address: a.address, coins: '1000000000utru' })), genesis.collateral], minGasPrice: null, appState: genesis.appState });
    await ok(chain, owner, [msgCreateDeal(owner.address, { cid: CID, kind: 'stream' })]);
    await ok(chain, owner, [msgRegisterContent(owner.address, 'talk', 1, ['k0', 'k1'])]);
    await ok(chain, owner, [msgSetContentKeys(owner.address, 'talk', [{ keyId: 'k0', holder: providers[0]!.address, sealed: cryptoBoxSeal(KEY, holder.publicKey) }])]);
    await ok(chain, owner, [msgGrant(owner.address, 'talk', viewer.address, GENESIS_TIME.seconds + 3600)]);
    await ok(chain, owner, [msgGrant(owner.address, 'talk', gone.address), msgRevoke(owner.address, 'talk', gone.address)]);
    server = await abciQueryServer(chain);
    rpc = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server?.close();
    await chain?.destroy();
  });

  async function trucom(args: string[]): Promise<string> {
    let stdout = '';
    const io: CliIo = { stdin: Readable.from([]), stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true } };
    const program = new Command('trucom').option('--home <dir>', 'home', '.trucom').option('-o, --output <format>', 'format', 'text').exitOverride();
    registerGrant(program, io);
    await program.parseAsync(args, { from: 'user' });
    return stdout;
  }

  test('grant list <content>: every grant with its active flag (JSON)', async () => {
    const out = JSON.parse(await trucom(['grant', 'list', 'talk', '--node', rpc]));
    assert.equal(out.content, 'talk');
    assert.equal(out.height, chain.height);
    const by = Object.fromEntries(out.grants.map((g: { grantee: string }) => [g.grantee, g]));
    assert.deepEqual(by[viewer.address], { grantee: viewer.address, active: true, revoked: false, expiry: GENESIS_TIME.seconds + 3600, granter: owner.address, granted_height: 4, revoked_height: 0 });
    assert.deepEqual([by[gone.address].active, by[gone.address].revoked, by[gone.address].revoked_height], [false, true, 5]);
    await assert.rejects(trucom(['grant', 'list', 'nothing', '--node', rpc]), /no content "nothing" on chain/);
    await assert.rejects(trucom(['grant', 'list', 'Bad_Id', '--node', rpc]), /must be a content id/);
  });

  test('grant add/revoke check their arguments before signing', async () => {
    await assert.rejects(trucom(['grant', 'add', 'talk', 'nope', '--from', 'x', '--node', rpc]), /invalid viewer address "nope"/);
    await assert.rejects(trucom(['grant', 'add', 'talk', viewer.address, '--expiry', 'soon', '--from', 'x', '--node', rpc]), /--expiry must be/);
    await assert.rejects(trucom(['grant', 'revoke', 'a/b', viewer.address, '--from', 'x', '--node', rpc]), /must be a content id/);
  });

  test('TrucomQueries: content, contentKey, grant, grants, grantsOf, keyHolder, keyHolders; unknown → undefined', async () => {
    const q = TrucomQueries.connect(rpc);
    try {
      const c = await q.content('talk');
      assert.deepEqual([c?.id, c?.owner, c?.dealId, c?.keyIds, c?.keys.map((k) => [k.keyId, k.holders])], ['talk', owner.address, 1, ['k0', 'k1'], [['k0', [providers[0]!.address]], ['k1', []]]]);
      assert.equal(await q.content('nothing'), undefined);

      const sealed = await q.contentKey('talk', 'k0', providers[0]!.address);
      assert.deepEqual(cryptoBoxSealOpen(sealed!, holder), KEY);
      assert.equal(await q.contentKey('talk', 'k1', providers[0]!.address), undefined);

      const g = await q.grant('talk', viewer.address);
      assert.deepEqual([g?.active, g?.height, g?.grant?.expiry], [true, chain.height, GENESIS_TIME.seconds + 3600]);
      assert.equal((await q.grant('talk', gone.address))?.active, false);
      assert.equal(await q.grant('talk', providers[1]!.address), undefined);
      assert.equal(await q.grant('nothing', viewer.address), undefined);

      assert.equal((await q.grants('talk'))?.grants?.length, 2);
      assert.equal(await q.grants('nothing'), undefined);
      assert.deepEqual((await q.grantsOf(viewer.address)).grants?.map((s) => [s.grant?.content, s.active]), [['talk', true]]);
      await assert.rejects(q.grantsOf('nope'), /invalid grantee address/);

      assert.equal(toHex((await q.keyHolder(providers[0]!.address))!.x25519Pubkey!), toHex(holder.publicKey));
      assert.equal(await q.keyHolder(providers[1]!.address), undefined);
      assert.deepEqual((await q.keyHolders()).map((k) => k.holder), [providers[0]!.address]);
    } finally {
      q.disconnect();
    }
  });
});
