/**
 * Bad input against a real validator process, over raw JSON-RPC (fetch), cosmjs' broadcast, the URI
 * form and the WebSocket. Each rejected tx gets its Cosmos SDK code; afterwards the node still
 * answers, no block contains the tx, and the app hash, balances and sequences are unchanged. A tx
 * whose message fails (insufficient funds) is in a block with code 5, pays its fee and bumps its
 * sequence. Ports 29200-29299.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { BroadcastTxError, GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { createLocalChain, waitFor, type LocalChain } from '@trucom/testkit';
import { coins, defaultRegistry, highS, msgSend, signTx, testAccounts, withSignatures, type SignOptions, type TestAccount } from '../../contracts/app/dist/testing.js';
import { abciInfo, broadcastSync, checkSupplyInvariant, latestHeight, postRpc, rpc, rpcCall, waitForHeight, waitForTx, type RpcResponse } from './support/index.js';

const RPC_PORT = 29257;
const REST_PORT = 29217;
const ALICE_FUNDS = 10_000_000_000n;
const BOB_FUNDS = 1_000_000n;
const FEE = { amount: coins('2000utru'), gas: '200000' };
/** Bytes that are neither JSON nor a tx. */
const GARBAGE = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 0x80) & 0xff);

describe('bad input to a validator process', { timeout: 180_000 }, () => {
  let chain: LocalChain;
  let alice: TestAccount, bob: TestAccount, carol: TestAccount;
  let client: StargateClient;
  const genesis = new Map<string, bigint>();

  before(async () => {
    [alice, bob, carol] = await testAccounts(3, 200);
    genesis.set(alice!.address, ALICE_FUNDS).set(bob!.address, BOB_FUNDS);
    chain = createLocalChain({ balances: [...genesis].map(([address, amount]) => ({ address, amount })), rpcPort: RPC_PORT, restPort: REST_PORT, blockTimeMs: 300 });
    await chain.start();
    client = await StargateClient.connect(chain.rpcUrl);
  });

  after(async () => {
    client?.disconnect();
    await chain?.destroy();
  });

  const aliceTx = (overrides: Partial<SignOptions> = {}, messages = [msgSend(alice.address, carol.address, '1000utru')]) =>
    signTx(alice, messages, { chainId: chain.chainId, accountNumber: 0, sequence: 0, fee: FEE, ...overrides });

  /** What must not change when a tx is rejected. */
  async function snapshot() {
    const { appHash } = await abciInfo(chain.rpcUrl);
    const balances = await Promise.all([alice, bob, carol].map((a) => client.getBalance(a.address, 'utru')));
    const accounts = await Promise.all([alice, bob, carol].map((a) => client.getAccount(a.address)));
    return { appHash, balances, accounts };
  }

  /** For input that is not a tx: snapshot before each test, and after it the node answers and nothing changed. */
  function expectNothingChanges() {
    let before: Awaited<ReturnType<typeof snapshot>>;
    beforeEach(async () => {
      before = await snapshot();
    });
    afterEach(async () => {
      await nodeAnswers();
      await waitForHeight(chain.rpcUrl, (await latestHeight(chain.rpcUrl)) + 1);
      assert.deepEqual(await snapshot(), before, 'app hash, balances and accounts unchanged');
    });
  }

  async function nodeAnswers() {
    const status = await rpc(chain.rpcUrl, 'status');
    assert.equal(status.node_info.network, chain.chainId);
  }

  /**
   * Broadcasts `raw` over raw JSON-RPC and through cosmjs; both must report `code`. Then, one block
   * later, nothing changed and no block holds the tx (a replay: it stays in the chain once).
   */
  async function expectRejected(raw: Uint8Array, code: number, log?: RegExp, timesInChain = 0) {
    const before = await snapshot();
    const r = await broadcastSync(chain.rpcUrl, raw);
    assert.equal(r.code, code, `expected code ${code}, got ${r.code}: ${r.log}`);
    assert.equal(r.codespace, 'sdk');
    assert.match(r.hash, /^[0-9A-F]{64}$/);
    assert.equal(r.hash, createHash('sha256').update(raw).digest('hex').toUpperCase(), 'hash = sha256 of the bytes as sent');
    if (log) assert.match(r.log, log);
    await assert.rejects(client.broadcastTxSync(raw), (err: unknown) => {
      assert.ok(err instanceof BroadcastTxError, String(err));
      assert.equal(err.code, code);
      assert.equal(err.codespace, 'sdk');
      return true;
    });
    await nodeAnswers();
    await waitForHeight(chain.rpcUrl, (await latestHeight(chain.rpcUrl)) + 1);
    assert.deepEqual(await snapshot(), before, 'app hash, balances and accounts unchanged');
    assert.equal((await rpc(chain.rpcUrl, 'tx_search', { query: `tx.hash='${r.hash}'` })).total_count, String(timesInChain), 'no block holds the rejected tx');
    assert.equal((await rpc(chain.rpcUrl, 'num_unconfirmed_txs')).total, '0', 'nothing entered the mempool');
  }

  describe('txs rejected by CheckTx', () => {
    it('undecodable tx bytes: code 2', async () => {
      await expectRejected(Uint8Array.of(0xff, 0xff, 0xff, 0xff), 2, /parse/);
      await expectRejected(new Uint8Array(), 2);
      await expectRejected(new TextEncoder().encode('this is not a protobuf tx at all'), 2);
      // a well-formed TxRaw whose body is garbage
      const good = TxRaw.decode(await aliceTx());
      await expectRejected(TxRaw.encode({ ...good, bodyBytes: Uint8Array.of(0x0a, 0x05, 0x01) }).finish(), 2);
    });

    it('bad signature: code 4', async () => {
      const raw = await aliceTx();
      await expectRejected(withSignatures(raw, ([s]) => [Uint8Array.from(s!, (b, i) => (i === 10 ? b ^ 0x01 : b))]), 4, /signature verification failed/);
      await expectRejected(withSignatures(raw, ([s]) => [s!.subarray(0, 63)]), 4);
      await expectRejected(withSignatures(raw, () => []), 4);
    });

    it('high-S signature (the malleated twin of a valid one): code 4', async () => {
      await expectRejected(withSignatures(await aliceTx(), ([s]) => [highS(s!)]), 4);
    });

    it('wrong chain id: code 4', async () => {
      await expectRejected(await aliceTx({ chainId: 'trucom-other-1' }), 4, /chain-id/);
    });

    it('wrong account number: code 4', async () => {
      await expectRejected(await aliceTx({ accountNumber: 1 }), 4, /account number/);
      await expectRejected(await aliceTx({ accountNumber: 999 }), 4);
    });

    it('wrong sequence: code 32', async () => {
      await expectRejected(await aliceTx({ sequence: 1 }), 32, /account sequence mismatch, expected 0, got 1/);
      await expectRejected(await aliceTx({ sequence: 1_000 }), 32);
    });

    it('fee below the minimum gas price: code 13', async () => {
      await expectRejected(await aliceTx({ fee: { amount: coins('1999utru'), gas: '200000' } }), 13, /insufficient fee/);
      await expectRejected(await aliceTx({ fee: { amount: [], gas: '200000' } }), 13);
      await expectRejected(await aliceTx({ fee: { amount: coins('2000uother'), gas: '200000' } }), 13);
    });

    it('unknown message type: code 6', async () => {
      const registry = defaultRegistry();
      registry.register('/trucom.nothing.v1.MsgNothing', MsgSend);
      const msg = { typeUrl: '/trucom.nothing.v1.MsgNothing', value: MsgSend.fromPartial({ fromAddress: alice.address, toAddress: carol.address, amount: coins('1utru') }) };
      await expectRejected(await aliceTx({ registry }, [msg]), 6, /MsgNothing/);
    });

    it('oversized tx (over 1 MiB): code 21', async () => {
      const raw = await aliceTx({ memo: 'x'.repeat(1024 * 1024) });
      assert.ok(raw.length > 1024 * 1024);
      await expectRejected(raw, 21);
    });

    it("a key that is not the signer's (code 8), an over-long memo (12), a passed timeout height (30)", async () => {
      const notAlice = await signTx(bob, [msgSend(alice.address, carol.address, '1000utru')], { chainId: chain.chainId, accountNumber: 0, sequence: 0, fee: FEE });
      await expectRejected(notAlice, 8);
      await expectRejected(await aliceTx({ memo: 'm'.repeat(257) }), 12);
      await expectRejected(await aliceTx({ timeoutHeight: 1n }), 30);
    });

    it('an RPC body over the limit gets HTTP 413 (or a JSON-RPC error) and the node keeps running', async () => {
      const before = await snapshot();
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'broadcast_tx_sync', params: { tx: Buffer.alloc(7 * 1024 * 1024).toString('base64') } });
      const r = await postRpc(chain.rpcUrl, body, 30_000);
      if (r.status === 200) assert.ok((r.body as RpcResponse).error, r.text.slice(0, 200));
      else assert.equal(r.status, 413);
      await nodeAnswers();
      await waitForHeight(chain.rpcUrl, (await latestHeight(chain.rpcUrl)) + 1);
      assert.deepEqual(await snapshot(), before);
    });
  });

  describe('txs whose messages fail in the block', () => {
    let bobSigner: SigningStargateClient;
    before(async () => {
      const wallet = await DirectSecp256k1HdWallet.fromMnemonic(bob.mnemonic, { prefix: 'tru' });
      bobSigner = await SigningStargateClient.connectWithSigner(chain.rpcUrl, wallet, { gasPrice: GasPrice.fromString('0.01utru'), broadcastPollIntervalMs: 300 });
    });
    after(() => bobSigner?.disconnect());

    it('insufficient funds: code 5 in the block; the fee is paid and the sequence bumped', async () => {
      const before = await snapshot();
      const r = await bobSigner.sendTokens(bob.address, carol.address, coins('5000000utru'), FEE);
      assert.equal(r.code, 5, r.rawLog);
      assert.match(r.rawLog ?? '', /insufficient funds/);
      assert.ok(r.height > 0);
      assert.equal(r.msgResponses.length, 0);
      const after = await snapshot();
      assert.notEqual(after.appHash, before.appHash, 'the fee moved');
      assert.equal(after.balances[1]!.amount, (BOB_FUNDS - 2000n).toString(), 'bob paid exactly the fee');
      assert.equal(after.balances[2]!.amount, '0', 'carol got nothing');
      assert.equal(after.accounts[1]!.sequence, 1, 'the sequence was bumped');
      assert.equal(after.accounts[2], null, 'no account was created for carol');
      assert.deepEqual(after.balances[0], before.balances[0]);

      const indexed = await client.getTx(r.transactionHash);
      assert.equal(indexed?.code, 5);
      assert.ok(!indexed.events.some((e) => e.type === 'message' && e.attributes.some((a) => a.key === 'action')), 'message events are dropped with the message');
      assert.ok(indexed.events.some((e) => e.type === 'tx' && e.attributes.some((a) => a.key === 'fee' && a.value === '2000utru')));
    });

    it('a later failing message reverts the earlier ones of the same tx (code 5, fee still paid)', async () => {
      const before = await snapshot();
      const raw = await signTx(bob, [msgSend(bob.address, carol.address, '10utru'), msgSend(bob.address, carol.address, '999999999utru')], {
        chainId: chain.chainId,
        accountNumber: 1,
        sequence: 1,
        fee: FEE,
      });
      const r = await broadcastSync(chain.rpcUrl, raw);
      assert.equal(r.code, 0, 'CheckTx only runs the ante handler');
      const committed = await waitForTx(chain.rpcUrl, r.hash);
      assert.equal(committed.tx_result.code, 5);
      assert.equal(committed.tx_result.codespace, 'sdk');
      const after = await snapshot();
      assert.equal(BigInt(after.balances[1]!.amount), BigInt(before.balances[1]!.amount) - 2000n);
      assert.equal(after.balances[2]!.amount, '0', 'the first message was reverted too');
      assert.equal(after.accounts[1]!.sequence, 2);
      // replaying the failed tx: its sequence is used up
      await expectRejected(raw, 32, /account sequence mismatch/, 1);
    });
  });

  describe('replays', () => {
    it('a committed tx sent again: code 32; a copy still in the mempool: code 19', async () => {
      const raw = await aliceTx();
      const first = await broadcastSync(chain.rpcUrl, raw);
      assert.equal(first.code, 0, first.log);
      const committed = await waitForTx(chain.rpcUrl, first.hash);
      assert.equal(committed.tx_result.code, 0);
      assert.equal((await client.getBalance(carol.address, 'utru')).amount, '1000');
      await expectRejected(raw, 32, /account sequence mismatch, expected 1, got 0/, 1);

      // the same bytes twice at once: one is admitted, the other is a duplicate (or, if a block
      // committed the first in between, a used sequence)
      const next = await aliceTx({ sequence: 1 });
      const [x, y] = await Promise.all([broadcastSync(chain.rpcUrl, next), broadcastSync(chain.rpcUrl, next)]);
      const codes = [x.code, y.code].sort((a, b) => a - b);
      assert.equal(codes[0], 0);
      assert.ok(codes[1] === 19 || codes[1] === 32, `second copy: code ${codes[1]}`);
      await waitForTx(chain.rpcUrl, x.hash);
      assert.equal((await rpc(chain.rpcUrl, 'tx_search', { query: `tx.hash='${x.hash}'` })).total_count, '1', 'in the chain once');
      assert.equal((await client.getSequence(alice.address)).sequence, 2);
    });
  });

  describe('malformed JSON-RPC', () => {
    expectNothingChanges();
    async function expectError(body: string, code: number, id: unknown = null, contentType = 'application/json') {
      const res = await fetch(chain.rpcUrl, { method: 'POST', headers: { 'content-type': contentType }, body, signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      assert.ok(res.status === 200 || res.status >= 400, `HTTP ${res.status}`);
      const r = JSON.parse(text) as RpcResponse;
      assert.equal(r.jsonrpc, '2.0', text);
      assert.equal(r.error?.code, code, text);
      assert.equal(typeof r.error?.message, 'string');
      assert.deepEqual(r.id, id);
      assert.equal(r.result, undefined);
    }

    it('not JSON: -32700, whatever the content type', async () => {
      await expectError('not json', -32700);
      await expectError('{"jsonrpc":"2.0",', -32700);
      await expectError('', -32700);
      await expectError('not json', -32700, null, 'text/plain');
      await expectError(Buffer.from(GARBAGE).toString('latin1'), -32700, null, 'application/octet-stream');
    });

    it('not a request object: -32600', async () => {
      for (const body of ['42', 'null', '"status"', '[]', '{}', '{"jsonrpc":"1.0","id":1,"method":"status"}', '{"jsonrpc":"2.0","id":1,"method":5}']) {
        await expectError(body, -32600, body.includes('"id":1') ? 1 : null);
      }
    });

    it('unknown method: -32601, with the id echoed', async () => {
      await expectError('{"jsonrpc":"2.0","id":7,"method":"no_such_method"}', -32601, 7);
      await expectError('{"jsonrpc":"2.0","id":"abc","method":"__proto__"}', -32601, 'abc');
      await expectError('{"jsonrpc":"2.0","id":8,"method":"constructor"}', -32601, 8);
    });

    it('bad params: -32602', async () => {
      const call = (method: string, params: unknown) => JSON.stringify({ jsonrpc: '2.0', id: 9, method, params });
      await expectError(call('block', { height: 'abc' }), -32602, 9);
      await expectError(call('block', { height: '99999999999999999999' }), -32602, 9);
      await expectError(call('block', 5), -32602, 9);
      await expectError(call('block', [1, 2]), -32602, 9);
      await expectError(call('broadcast_tx_sync', {}), -32602, 9);
      await expectError(call('broadcast_tx_sync', { tx: '***' }), -32602, 9);
      await expectError(call('broadcast_tx_sync', { tx: 12345 }), -32602, 9);
      await expectError(call('tx_search', { query: '(((' }), -32602, 9);
      await expectError(call('abci_query', { path: 5 }), -32602, 9);
      await expectError(call('validators', { height: 'x' }), -32602, 9);
      // heights outside the chain: CometBFT's internal error
      await expectError(call('validators', { height: '-5' }), -32603, 9);
      await expectError(call('validators', { height: '999999999' }), -32603, 9);
      await expectError(call('block_results', { height: '999999999' }), -32603, 9);
      await expectError(call('commit', { height: '-1' }), -32603, 9);
      await expectError(call('tx_search', { query: 'tx.height>0', page: '99' }), -32603, 9);
      await expectError(call('abci_query', { path: '/cosmos.bank.v1beta1.Query/Balance', data: 'zz' }), -32602, 9);
    });

    it('a batch answers each request in its slot', async () => {
      const r = await postRpc(chain.rpcUrl, [
        { jsonrpc: '2.0', id: 1, method: 'health' },
        { jsonrpc: '2.0', id: 2, method: 'nope' },
        42,
      ]);
      assert.equal(r.status, 200);
      const [a, b, c] = r.body as RpcResponse[];
      assert.deepEqual(a, { jsonrpc: '2.0', id: 1, result: {} });
      assert.equal(b!.error?.code, -32601);
      assert.equal(c!.error?.code, -32600);
    });

    it('the URI form reports errors as JSON-RPC errors', async () => {
      const get = async (path: string) => {
        const res = await fetch(`${chain.rpcUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
        return { status: res.status, body: (await res.json()) as RpcResponse<any> };
      };
      assert.equal((await get('/block?height=abc')).body.error?.code, -32602);
      assert.equal((await get('/tx?hash=0xZZ')).body.error?.code, -32602);
      assert.equal((await get('/abci_query?path=%22/x%22&data=0xZZ')).body.error?.code, -32602);
      assert.equal((await get('/tx_search?query=%22(((%22')).body.error?.code, -32602);
      const unknown = await get('/no_such_method');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error?.code, -32601);
      assert.equal((await get('/block?height=999999999')).body.error?.code, -32603, 'a height above the chain');
      const garbageTx = await get('/broadcast_tx_sync?tx=0x00');
      assert.equal(garbageTx.body.result.code, 2);
      const ok = await get('/block?height=1');
      assert.equal(ok.body.result.block.header.height, '1');
      await nodeAnswers();
    });
  });

  describe('WebSocket garbage', () => {
    expectNothingChanges();
    const WS_URL = `ws://127.0.0.1:${RPC_PORT}/websocket`;

    /** A raw WebSocket that collects every message; closed at the end of each test. */
    async function open(url = WS_URL) {
      const ws = new WebSocket(url);
      const messages: any[] = [];
      ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.on('error', () => undefined); // failures show up as rejections and close codes
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const reply = (match: (m: any) => boolean, what: string) => waitFor(what, () => messages.find(match), 10_000);
      return { ws, messages, closed, reply };
    }

    it('answers garbage frames with JSON-RPC errors and keeps the connection usable', async () => {
      const { ws, reply, messages } = await open();
      try {
        ws.send('garbage');
        assert.equal((await reply((m) => m.error?.code === -32700, 'a parse error')).id, null);
        ws.send(GARBAGE);
        await waitFor('two parse errors', () => (messages.filter((m) => m.error?.code === -32700).length >= 2 ? true : undefined), 10_000);
        ws.send('[1,2]');
        await reply((m) => m.error?.code === -32600, 'an invalid request error');
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'no_such_method' }));
        assert.equal((await reply((m) => m.id === 5, 'reply 5')).error.code, -32601);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'subscribe', params: { query: "tm.event='NewBlock' AND ((" } }));
        assert.equal((await reply((m) => m.id === 6, 'reply 6')).error.code, -32602);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'subscribe', params: { query: "tm.event='NoSuchEvent'" } }));
        assert.equal((await reply((m) => m.id === 7, 'reply 7')).error.code, -32602);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'unsubscribe', params: { query: "tm.event='NewBlock'" } }));
        assert.ok((await reply((m) => m.id === 8, 'reply 8')).error);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'block', params: { height: 'x' } }));
        assert.equal((await reply((m) => m.id === 9, 'reply 9')).error.code, -32602);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'status' }));
        assert.equal((await reply((m) => m.id === 10, 'reply 10')).result.node_info.network, chain.chainId, 'the socket still works');
      } finally {
        ws.terminate();
      }
    });

    it('closes a socket that sends an oversized frame; a vanished subscriber harms nothing', async () => {
      const big = await open();
      big.ws.send(Buffer.alloc(3 * 1024 * 1024, 0x20));
      assert.equal(await big.closed, 1009, 'message too big');

      const sub = await open();
      sub.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: { query: "tm.event='NewBlock'" } }));
      await sub.reply((m) => m.id === 1 && m.result?.query === "tm.event='NewBlock'", 'a NewBlock event');
      sub.ws.terminate();
      const h = await latestHeight(chain.rpcUrl);
      await waitForHeight(chain.rpcUrl, h + 2);

      await assert.rejects(open(`ws://127.0.0.1:${RPC_PORT}/not-websocket`), 'only /websocket upgrades');
      await nodeAnswers();
    });
  });

  it('afterwards: the node still runs and the supply invariant holds', async () => {
    await nodeAnswers();
    await checkSupplyInvariant({ rpcUrl: chain.rpcUrl, restUrl: chain.restUrl!, genesis, known: [alice, bob, carol].map((a) => a.address) });
    const r = await rpcCall(chain.rpcUrl, 'health');
    assert.deepEqual(r.result, {});
  });
});
