/**
 * The whole client journey with unmodified cosmjs 0.39 against a real validator process: queries,
 * simulate + sendTokens("auto"), a multi-message tx, getTx / searchTx, accounts created on first
 * receipt, every CometClient method, WebSocket subscriptions, the REST routes and the faucet; then
 * the supply invariant (REST balances + fee collector = supply) and a block-by-block replay of the
 * bank events. Ports 29100-29199.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeTxRaw, DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { assertIsDeliverTxSuccess, GasPrice, SigningStargateClient, StargateClient, type DeliverTxResponse } from '@cosmjs/stargate';
import { connectComet, isComet38Client, type CometClient } from '@cosmjs/tendermint-rpc';
import { fromHex, isValidAddress, moduleAddress, sha256, toUpperHex } from '@trucom/crypto';
import { createLocalChain, waitFor, type LocalChain } from '@trucom/testkit';
import { coins, msgMultiSend, msgSend, signTx, simulationTx, testAccounts, type TestAccount } from '../../contracts/app/dist/testing.js';
import { balanceOf, checkSupplyInvariant, connectCometWebSocket, feeRecipient, firstEvent, postJson, restJson, rpc, supplyOf, waitForHeight, type RpcEvent } from './support/index.js';

const RPC_PORT = 29157;
const REST_PORT = 29117;
const CHAIN_ID = 'trucom-test-1';
const ALICE_FUNDS = 10_000_000_000n;
const BOB_FUNDS = 1_000_000_000n;
const FAUCET_FUNDS = 1_000_000_000_000n;

describe('cosmjs journey against a validator process', { timeout: 180_000 }, () => {
  let chain: LocalChain;
  let alice: TestAccount, bob: TestAccount, faucet: TestAccount;
  // never seen by the chain until they receive something
  let charlie: TestAccount, dave: TestAccount, erin: TestAccount, frank: TestAccount;
  let client: StargateClient;
  let signer: SigningStargateClient;
  let comet: CometClient;
  const genesis = new Map<string, bigint>();
  let sendResult: DeliverTxResponse;
  let multiResult: DeliverTxResponse;
  let feesPaidByAlice = 0n;

  before(async () => {
    [alice, bob, faucet, charlie, dave, erin, frank] = await testAccounts(7, 100);
    genesis.set(alice!.address, ALICE_FUNDS).set(bob!.address, BOB_FUNDS).set(faucet!.address, FAUCET_FUNDS);
    chain = createLocalChain({
      balances: [...genesis].map(([address, amount]) => ({ address, amount })),
      rpcPort: RPC_PORT,
      restPort: REST_PORT,
      faucetMnemonic: faucet!.mnemonic,
      blockTimeMs: 400,
    });
    await chain.start();
    client = await StargateClient.connect(chain.rpcUrl);
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice!.mnemonic, { prefix: 'tru' });
    signer = await SigningStargateClient.connectWithSigner(chain.rpcUrl, wallet, { gasPrice: GasPrice.fromString('0.01utru'), broadcastPollIntervalMs: 300 });
    comet = await connectComet(chain.rpcUrl);
  });

  after(async () => {
    client?.disconnect();
    signer?.disconnect();
    comet?.disconnect();
    await chain?.destroy();
  });

  const feeOf = (tx: Uint8Array) => BigInt(decodeTxRaw(tx).authInfo.fee!.amount.find((c) => c.denom === 'utru')?.amount ?? '0');

  it('connects and reads the chain id and height', async () => {
    assert.equal(await client.getChainId(), CHAIN_ID);
    assert.equal(await signer.getChainId(), CHAIN_ID);
    assert.ok((await client.getHeight()) >= 1);
  });

  it('reads accounts: a genesis account, and null for one never seen', async () => {
    const a = await client.getAccount(alice.address);
    assert.ok(a);
    assert.equal(a.address, alice.address);
    assert.equal(a.accountNumber, 0n);
    assert.equal(a.sequence, 0);
    assert.equal(a.pubkey, null, 'no pubkey before the first signed tx');
    assert.equal((await client.getAccount(bob.address))?.accountNumber, 1n);
    assert.equal(await client.getAccount(charlie.address), null);
    assert.deepEqual(await client.getSequence(alice.address), { accountNumber: 0n, sequence: 0 });
    await assert.rejects(client.getSequence(charlie.address), /does not exist/);
  });

  it('reads balances', async () => {
    assert.deepEqual(await client.getBalance(alice.address, 'utru'), { denom: 'utru', amount: ALICE_FUNDS.toString() });
    assert.deepEqual(await client.getBalance(alice.address, 'uother'), { denom: 'uother', amount: '0' });
    assert.deepEqual(await client.getBalance(charlie.address, 'utru'), { denom: 'utru', amount: '0' });
    assert.deepEqual(await client.getAllBalances(bob.address), [{ denom: 'utru', amount: BOB_FUNDS.toString() }]);
    assert.deepEqual(await client.getAllBalances(charlie.address), []);
  });

  it('reads blocks: the latest and one by height', async () => {
    await waitForHeight(chain.rpcUrl, 2);
    const latest = await client.getBlock();
    assert.equal(latest.header.chainId, CHAIN_ID);
    assert.ok(latest.header.height >= 2);
    assert.match(latest.id, /^[0-9A-F]{64}$/);
    const first = await client.getBlock(1);
    assert.equal(first.header.height, 1);
    assert.equal(first.header.chainId, CHAIN_ID);
    assert.notEqual(first.id, latest.id);
    assert.deepEqual(first.txs, []);
    const second = await client.getBlock(2);
    assert.ok(new Date(second.header.time).getTime() > new Date(first.header.time).getTime(), 'block times increase');
    await assert.rejects(client.getBlock(1_000_000), /height|must be less than/);
  });

  it('simulates, then sends with fee "auto"; the recipient account is created on first receipt', async () => {
    const gas = await signer.simulate(alice.address, [msgSend(alice.address, charlie.address, '1000utru')], 'hello');
    assert.ok(gas > 0 && gas < 200_000, `simulated gas ${gas}`);
    sendResult = await signer.sendTokens(alice.address, charlie.address, coins('1000utru'), 'auto', 'hello');
    assertIsDeliverTxSuccess(sendResult);
    assert.match(sendResult.transactionHash, /^[0-9A-F]{64}$/);
    assert.ok(sendResult.height >= 1);
    assert.ok(sendResult.gasUsed > 0n && sendResult.gasUsed <= sendResult.gasWanted, `gas ${sendResult.gasUsed}/${sendResult.gasWanted}`);
    assert.equal(sendResult.msgResponses.length, 1);
    assert.equal(sendResult.msgResponses[0]!.typeUrl, '/cosmos.bank.v1beta1.MsgSendResponse');

    const created = await client.getAccount(charlie.address);
    assert.ok(created, 'the recipient now has an account');
    assert.ok(created.accountNumber > 2n, 'a new account number, after the genesis accounts');
    assert.equal(created.sequence, 0);
    assert.equal(created.pubkey, null);
    assert.equal((await client.getBalance(charlie.address, 'utru')).amount, '1000');

    const a = await client.getAccount(alice.address);
    assert.equal(a?.sequence, 1);
    assert.equal(a?.pubkey?.type, 'tendermint/PubKeySecp256k1', 'the pubkey is stored with the first tx');
    assert.equal(a?.pubkey?.value, Buffer.from(alice.pubkey).toString('base64'));
  });

  it('signs and broadcasts several messages in one tx (MsgSend ×2 and MsgMultiSend)', async () => {
    const msgs = [
      msgSend(alice.address, bob.address, '100utru'),
      msgSend(alice.address, charlie.address, '200utru'),
      msgMultiSend(alice.address, [
        { address: dave.address, coins: '300utru' },
        { address: erin.address, coins: '400utru' },
      ]),
    ];
    multiResult = await signer.signAndBroadcast(alice.address, msgs, 'auto', 'three messages');
    assertIsDeliverTxSuccess(multiResult);
    assert.deepEqual(
      multiResult.msgResponses.map((r) => r.typeUrl),
      ['/cosmos.bank.v1beta1.MsgSendResponse', '/cosmos.bank.v1beta1.MsgSendResponse', '/cosmos.bank.v1beta1.MsgMultiSendResponse'],
    );
    const actions = multiResult.events.filter((e) => e.type === 'message' && e.attributes.some((a) => a.key === 'action'));
    assert.deepEqual(
      actions.map((e) => [e.attributes.find((a) => a.key === 'action')?.value, e.attributes.find((a) => a.key === 'msg_index')?.value]),
      [
        ['/cosmos.bank.v1beta1.MsgSend', '0'],
        ['/cosmos.bank.v1beta1.MsgSend', '1'],
        ['/cosmos.bank.v1beta1.MsgMultiSend', '2'],
      ],
    );
    assert.equal((await client.getBalance(bob.address, 'utru')).amount, (BOB_FUNDS + 100n).toString());
    assert.equal((await client.getBalance(charlie.address, 'utru')).amount, '1200');
    assert.equal((await client.getBalance(dave.address, 'utru')).amount, '300');
    assert.equal((await client.getBalance(erin.address, 'utru')).amount, '400');
    const [c, d, e] = await Promise.all([charlie, dave, erin].map((x) => client.getAccount(x.address)));
    assert.equal(d!.accountNumber, c!.accountNumber + 1n, 'accounts are numbered in the order they are created');
    assert.equal(e!.accountNumber, d!.accountNumber + 1n, 'multi-send outputs get accounts in order');
    assert.deepEqual(await client.getSequence(alice.address), { accountNumber: 0n, sequence: 2 });
  });

  it('charges exactly the fees in the txs', async () => {
    const first = await client.getTx(sendResult.transactionHash);
    const second = await client.getTx(multiResult.transactionHash);
    assert.ok(first && second);
    feesPaidByAlice = feeOf(first.tx) + feeOf(second.tx);
    assert.ok(feesPaidByAlice > 0n);
    const expected = ALICE_FUNDS - 1000n - 1000n - feesPaidByAlice;
    assert.equal((await client.getBalance(alice.address, 'utru')).amount, expected.toString());
  });

  it('finds txs with getTx and searchTx (string and array queries)', async () => {
    const tx = await client.getTx(multiResult.transactionHash);
    assert.ok(tx);
    assert.equal(tx.hash, multiResult.transactionHash);
    assert.equal(tx.height, multiResult.height);
    assert.equal(tx.code, 0);
    assert.equal(tx.txIndex, multiResult.txIndex);
    assert.equal(tx.gasUsed, multiResult.gasUsed);
    assert.equal(tx.msgResponses.length, 3);
    const decoded = decodeTxRaw(tx.tx);
    assert.equal(decoded.body.memo, 'three messages');
    assert.deepEqual(decoded.body.messages.map((m) => m.typeUrl), ['/cosmos.bank.v1beta1.MsgSend', '/cosmos.bank.v1beta1.MsgSend', '/cosmos.bank.v1beta1.MsgMultiSend']);
    assert.equal(await client.getTx('00'.repeat(32)), null, 'an unknown hash is null');
    assert.equal((await client.getTx(sendResult.transactionHash.toLowerCase()))?.hash, sendResult.transactionHash, 'hashes are case-insensitive');

    const byHeight = await client.searchTx(`tx.height=${multiResult.height}`);
    assert.ok(byHeight.some((t) => t.hash === multiResult.transactionHash));
    const bySender = await client.searchTx(`message.sender='${alice.address}'`);
    assert.deepEqual(bySender.map((t) => t.hash).sort(), [sendResult.transactionHash, multiResult.transactionHash].sort());
    const byRecipient = await client.searchTx([{ key: 'transfer.recipient', value: dave.address }]);
    assert.deepEqual(byRecipient.map((t) => t.hash), [multiResult.transactionHash]);
    const combined = await client.searchTx([
      { key: 'message.sender', value: alice.address },
      { key: 'tx.height', value: sendResult.height },
    ]);
    assert.deepEqual(combined.map((t) => t.hash), [sendResult.transactionHash], 'array form with a numeric value');
    assert.deepEqual(await client.searchTx([{ key: 'transfer.recipient', value: frank.address }]), []);
    assert.ok((await client.searchTx(`message.action='/cosmos.bank.v1beta1.MsgMultiSend'`)).some((t) => t.hash === multiResult.transactionHash));
  });

  it('broadcasts with broadcast_tx_async (hash at once) and broadcast_tx_commit (result of the block)', async () => {
    const { accountNumber, sequence } = await client.getSequence(bob.address);
    const first = await signTx(bob, [msgSend(bob.address, alice.address, '7utru')], { chainId: CHAIN_ID, accountNumber, sequence });
    const second = await signTx(bob, [msgSend(bob.address, alice.address, '8utru')], { chainId: CHAIN_ID, accountNumber, sequence: sequence + 1 });

    const sent = await rpc(chain.rpcUrl, 'broadcast_tx_async', { tx: Buffer.from(first).toString('base64') });
    assert.equal(sent.code, 0);
    assert.equal(sent.hash, toUpperHex(sha256(first)));
    const included = await waitFor('the async tx in a block', async () => (await client.getTx(sent.hash)) ?? undefined);
    assert.equal(included.code, 0);

    const committed = await rpc(chain.rpcUrl, 'broadcast_tx_commit', { tx: Buffer.from(second).toString('base64') });
    assert.equal(committed.check_tx.code, 0);
    assert.equal(committed.tx_result.code, 0);
    assert.equal(committed.hash, toUpperHex(sha256(second)));
    assert.ok(Number(committed.height) > included.height);
    assert.equal((await client.getTx(committed.hash))?.height, Number(committed.height));
  });

  it('serves every CometClient method (CometBFT 0.38 shapes)', async () => {
    assert.ok(isComet38Client(comet), 'cosmjs picks its CometBFT 0.38 client');
    const h = multiResult.height;

    const status = await comet.status();
    assert.equal(status.nodeInfo.network, CHAIN_ID);
    assert.equal(status.nodeInfo.version, '0.38.17');
    assert.ok(status.syncInfo.latestBlockHeight >= h);
    assert.equal(status.syncInfo.catchingUp, false);
    assert.equal(status.validatorInfo.votingPower, 10n);

    const info = await comet.abciInfo();
    assert.ok((info.lastBlockHeight ?? 0) >= h);
    assert.equal(info.lastBlockAppHash?.length, 32);

    const block = await comet.block(h);
    assert.equal(block.block.header.height, h);
    assert.equal(block.block.header.chainId, CHAIN_ID);
    assert.ok(block.block.txs.length >= 1);
    assert.equal(block.blockId.hash.length, 32);
    const next = await comet.block(h + 1).catch(async () => {
      await waitForHeight(chain.rpcUrl, h + 1);
      return comet.block(h + 1);
    });
    assert.deepEqual(next.block.header.lastBlockId?.hash, block.blockId.hash, 'blocks are linked by last_block_id');
    assert.equal(next.block.lastCommit?.height, h);
    const rawResults = await rpc(chain.rpcUrl, 'block_results', { height: String(h) });
    assert.equal(Buffer.from(next.block.header.appHash).toString('base64'), rawResults.app_hash, "the next header carries this block's app hash");

    const results = await comet.blockResults(h);
    assert.equal(results.height, h);
    assert.equal(results.results.length, block.block.txs.length);
    assert.equal(results.results[multiResult.txIndex]!.code, 0);
    assert.ok(results.results[multiResult.txIndex]!.events.some((e) => e.type === 'transfer'));

    const chainMeta = await comet.blockchain(1, h);
    assert.equal(chainMeta.blockMetas[0]!.header.height, h, 'newest first');
    assert.ok(chainMeta.lastHeight >= h);
    assert.deepEqual(chainMeta.blockMetas.map((m) => m.header.height), Array.from({ length: Math.min(h, 20) }, (_, i) => h - i));
    assert.deepEqual(chainMeta.blockMetas[0]!.blockId.hash, block.blockId.hash);
    assert.equal(chainMeta.blockMetas[0]!.numTxs, block.block.txs.length);

    const commit = await comet.commit(h);
    assert.equal(commit.header.height, h);
    assert.equal(commit.commit.height, h);
    assert.equal(commit.canonical, true);
    assert.deepEqual(commit.commit.blockId.hash, block.blockId.hash);
    assert.equal(commit.commit.signatures.length, 1);

    const validators = await comet.validators({ height: h });
    assert.equal(validators.total, 1);
    assert.equal(validators.validators[0]!.votingPower, 10n);
    assert.deepEqual(validators.validators[0]!.address, status.validatorInfo.address);
    assert.equal((await comet.validatorsAll(h)).validators.length, 1);

    const genesisDoc = await comet.genesis();
    assert.equal(genesisDoc.chainId, CHAIN_ID);
    assert.equal(genesisDoc.validators.length, 1);
    assert.ok(genesisDoc.appState);

    const tx = await comet.tx({ hash: fromHex(multiResult.transactionHash) });
    assert.equal(tx.height, h);
    assert.equal(tx.index, multiResult.txIndex);
    assert.equal(tx.result.code, 0);
    assert.equal(toUpperHex(tx.hash), multiResult.transactionHash);
    await assert.rejects(comet.tx({ hash: new Uint8Array(32) }), /not found/);

    const search = await comet.txSearch({ query: `message.sender='${alice.address}'` });
    assert.equal(search.totalCount, 2);
    const searchDesc = await comet.txSearch({ query: `message.sender='${alice.address}'`, order_by: 'desc', per_page: 1, page: 1 });
    assert.equal(searchDesc.totalCount, 2);
    assert.equal(toUpperHex(searchDesc.txs[0]!.hash), multiResult.transactionHash);
    assert.equal((await comet.txSearchAll({ query: `message.sender='${alice.address}'`, per_page: 1 })).txs.length, 2);

    assert.equal(await comet.health(), null);
    assert.equal((await comet.numUnconfirmedTxs()).total, 0);
  });

  it('pushes NewBlock and Tx events over the WebSocket', async () => {
    const { client: ws, close } = connectCometWebSocket(`ws://127.0.0.1:${RPC_PORT}`);
    try {
      assert.equal((await ws.status()).nodeInfo.network, CHAIN_ID, 'RPC calls work over the socket too');
      // Subscribe to Tx first, then NewBlock on the same socket: once a NewBlock event arrives, the
      // server has handled both subscriptions (it processes one socket's messages in order).
      const txEvent = firstEvent(ws.subscribeTx(`message.sender='${bob.address}'`), "bob's tx");
      const startHeight = (await ws.status()).syncInfo.latestBlockHeight;
      const block = await firstEvent(ws.subscribeNewBlock(), 'a new block');
      assert.ok(block.header.height > startHeight);
      assert.equal(block.header.chainId, CHAIN_ID);

      const bobWallet = await DirectSecp256k1HdWallet.fromMnemonic(bob.mnemonic, { prefix: 'tru' });
      const bobClient = await SigningStargateClient.connectWithSigner(chain.rpcUrl, bobWallet, { gasPrice: GasPrice.fromString('0.01utru'), broadcastPollIntervalMs: 300 });
      try {
        const sent = await bobClient.sendTokens(bob.address, dave.address, coins('50utru'), 'auto');
        assertIsDeliverTxSuccess(sent);
        const ev = await txEvent;
        assert.equal(toUpperHex(ev.hash), sent.transactionHash);
        assert.equal(ev.height, sent.height);
        assert.equal(ev.result.code, 0);
        assert.ok(ev.result.events.some((e) => e.type === 'transfer' && e.attributes.some((a) => a.value === dave.address)));
      } finally {
        bobClient.disconnect();
      }
      const header = await firstEvent(ws.subscribeNewBlockHeader(), 'a new block header');
      assert.ok(header.height > startHeight);
    } finally {
      close();
    }
  });

  it('serves the REST balances, accounts and supply routes in Cosmos shapes', async () => {
    const rest = chain.restUrl!;
    const balances = await restJson(rest, `/cosmos/bank/v1beta1/balances/${charlie.address}`);
    assert.equal(balances.status, 200);
    assert.deepEqual(balances.body, { balances: [{ denom: 'utru', amount: '1200' }], pagination: { next_key: null, total: '1' } });
    const empty = await restJson(rest, `/cosmos/bank/v1beta1/balances/${frank.address}`);
    assert.deepEqual(empty.body, { balances: [], pagination: { next_key: null, total: '0' } });

    const account = await restJson(rest, `/cosmos/auth/v1beta1/accounts/${alice.address}`);
    assert.equal(account.status, 200);
    assert.deepEqual(account.body, {
      account: {
        '@type': '/cosmos.auth.v1beta1.BaseAccount',
        address: alice.address,
        pub_key: { '@type': '/cosmos.crypto.secp256k1.PubKey', key: Buffer.from(alice.pubkey).toString('base64') },
        account_number: '0',
        sequence: '2',
      },
    });
    const fresh = await restJson(rest, `/cosmos/auth/v1beta1/accounts/${charlie.address}`);
    assert.equal(fresh.body.account.pub_key, null);
    assert.equal(fresh.body.account.account_number, String((await client.getAccount(charlie.address))!.accountNumber));
    const missing = await restJson(rest, `/cosmos/auth/v1beta1/accounts/${frank.address}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 5);
    assert.equal(typeof missing.body.message, 'string');
    assert.deepEqual(missing.body.details, []);

    const supply = await restJson(rest, '/cosmos/bank/v1beta1/supply');
    assert.equal(supply.status, 200);
    assert.deepEqual(supply.body, { supply: [{ denom: 'utru', amount: (ALICE_FUNDS + BOB_FUNDS + FAUCET_FUNDS).toString() }], pagination: { next_key: null, total: '1' } });
  });

  it('simulates and broadcasts through the REST tx service, as LCD wallets (Keplr) do', async () => {
    const { accountNumber, sequence } = await client.getSequence(bob.address);
    const unsigned = simulationTx(bob, [msgSend(bob.address, erin.address, '9utru')], sequence);
    const sim = await postJson(chain.restUrl!, '/cosmos/tx/v1beta1/simulate', { tx_bytes: Buffer.from(unsigned).toString('base64') });
    assert.equal(sim.status, 200, JSON.stringify(sim.body));
    assert.ok(Number(sim.body.gas_info.gas_used) > 0);
    assert.deepEqual(sim.body.result.msg_responses, [{ '@type': '/cosmos.bank.v1beta1.MsgSendResponse' }]);

    const gas = Math.ceil(Number(sim.body.gas_info.gas_used) * 1.4);
    const fee = { amount: [{ denom: 'utru', amount: String(Math.ceil(gas * 0.01)) }], gas: String(gas) };
    const signed = await signTx(bob, [msgSend(bob.address, erin.address, '9utru')], { chainId: CHAIN_ID, accountNumber, sequence, fee });
    const sent = await postJson(chain.restUrl!, '/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from(signed).toString('base64'), mode: 'BROADCAST_MODE_SYNC' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.tx_response.code, 0, sent.body.tx_response.raw_log);
    assert.equal(sent.body.tx_response.txhash, toUpperHex(sha256(signed)));
    const included = await waitFor('the REST-broadcast tx in a block', async () => (await client.getTx(sent.body.tx_response.txhash)) ?? undefined);
    assert.equal(included.code, 0);

    const replay = await postJson(chain.restUrl!, '/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from(signed).toString('base64') });
    assert.equal(replay.status, 200);
    assert.equal(replay.body.tx_response.code, 32, 'a replay is refused with the SDK code, in the body');
    assert.equal((await postJson(chain.restUrl!, '/cosmos/tx/v1beta1/txs', { mode: 'BROADCAST_MODE_SYNC' })).status, 400);
    assert.equal((await postJson(chain.restUrl!, '/cosmos/tx/v1beta1/txs', { tx_bytes: 'not base64!' })).status, 400);
    assert.equal((await postJson(chain.restUrl!, '/cosmos/tx/v1beta1/txs', { tx_bytes: 'AAAA', mode: 'BROADCAST_MODE_BLOCK' })).status, 400);
    assert.equal((await postJson(chain.restUrl!, '/cosmos/tx/v1beta1/txs', { tx_bytes: 'AAAA' })).body.tx_response.code, 2);
    assert.equal((await postJson(chain.restUrl!, '/cosmos/tx/v1beta1/simulate', { tx_bytes: 'AAAA' })).status, 400);
  });

  it('funds a new account from the REST faucet', async () => {
    const rest = chain.restUrl!;
    const r = await postJson(rest, '/faucet', { address: frank.address });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.amount, '100000000utru');
    assert.match(r.body.txhash, /^[0-9A-F]{64}$/);
    assert.equal(await balanceOf(rest, frank.address), 100_000_000n);
    const tx = await client.getTx(r.body.txhash);
    assert.equal(tx?.height, Number(r.body.height));
    assert.equal(tx?.code, 0);

    const bad = await postJson(rest, '/faucet', { address: 'cosmos1notours' });
    assert.equal(bad.status, 400);
    assert.equal(typeof bad.body.message, 'string');
    const none = await postJson(rest, '/faucet', {});
    assert.equal(none.status, 400);
    // two requests at once both succeed (the faucet orders its sequence numbers)
    const [x, y] = await Promise.all([postJson(rest, '/faucet', { address: dave.address }), postJson(rest, '/faucet', { address: erin.address })]);
    assert.equal(x.status, 200, JSON.stringify(x.body));
    assert.equal(y.status, 200, JSON.stringify(y.body));
  });

  it('keeps the supply invariant: known balances + fee collector = supply, conserved in every block', async () => {
    const known = [alice, bob, faucet, charlie, dave, erin, frank].map((a) => a.address);
    const { feeCollector, supply, balances } = await checkSupplyInvariant({ rpcUrl: chain.rpcUrl, restUrl: chain.restUrl!, genesis, known });
    assert.ok(feeCollector && isValidAddress(feeCollector));
    assert.equal(feeCollector, moduleAddress('fee_collector'), 'fees go to the fee_collector module account');
    assert.equal(supply, await supplyOf(chain.restUrl!));
    // every fee paid in every tx ended up with the fee collector
    const allTxs = await client.searchTx(`tx.height>0`);
    const fees = allTxs.reduce((sum, t) => sum + feeOf(t.tx), 0n);
    assert.equal(balances.get(feeCollector), fees);
    assert.ok(allTxs.every((t) => feeRecipient(t.events as unknown as RpcEvent[]) === feeCollector));
    assert.equal(allTxs.length, 9, 'send, multi-send, bob, bob async + commit, bob over REST, three faucet transfers');
  });
});
