/**
 * Restarts of a real validator process: a clean stop (SIGTERM) keeps height, blocks, balances and
 * sequences; a crash (SIGKILL) in the middle of a tx load loses nothing that was committed: the
 * height continues from where it was, every height appears once and links to the previous block,
 * no tx is in two blocks, the tx index finds every committed tx, sequences match the txs in the
 * chain and the supply invariant holds. Ports 29300-29399.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeTxRaw, DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { assertIsDeliverTxSuccess, GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { sha256, toUpperHex } from '@trucom/crypto';
import { createLocalChain, waitFor, type LocalChain } from '@trucom/testkit';
import { coins, msgSend, signTx, testAccounts, type TestAccount } from '../../contracts/app/dist/testing.js';
import { balanceOf, broadcastSync, checkSupplyInvariant, latestHeight, portClosed, rpc, waitForHeight, waitForTx, type TxRecord } from './support/index.js';

const RPC_PORT = 29357;
const REST_PORT = 29317;
const FUNDS = 10_000_000_000n;
const FEE = { amount: coins('2000utru'), gas: '200000' };
/** Stop the load after this many txs per sender if the kill never came (it comes much earlier). */
const MAX_TXS_PER_SENDER = 3000;

interface BlockView {
  readonly height: number;
  readonly hash: string;
  readonly lastBlockHash: string;
  readonly appHash: string;
  readonly txHashes: string[];
  readonly txs: string[];
}

async function blockAt(rpcUrl: string, height: number): Promise<BlockView> {
  const r = await rpc(rpcUrl, 'block', { height: String(height) });
  const txs: string[] = r.block.data.txs ?? [];
  return {
    height: Number(r.block.header.height),
    hash: r.block_id.hash,
    lastBlockHash: r.block.header.last_block_id.hash,
    appHash: r.block.header.app_hash,
    txs,
    txHashes: txs.map((t) => toUpperHex(sha256(Buffer.from(t, 'base64')))),
  };
}

describe('validator restarts', { timeout: 240_000 }, () => {
  let chain: LocalChain;
  let senders: TestAccount[];
  let sink: TestAccount, loadSink: TestAccount;
  const genesis = new Map<string, bigint>();

  before(async () => {
    const accounts = await testAccounts(6, 300);
    senders = accounts.slice(0, 4);
    [sink, loadSink] = accounts.slice(4);
    for (const s of senders) genesis.set(s.address, FUNDS);
    chain = createLocalChain({ balances: [...genesis].map(([address, amount]) => ({ address, amount })), rpcPort: RPC_PORT, restPort: REST_PORT, blockTimeMs: 300 });
    await chain.start();
  });

  after(async () => {
    await chain?.destroy();
  });

  async function signingClient(account: TestAccount) {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: 'tru' });
    return SigningStargateClient.connectWithSigner(chain.rpcUrl, wallet, { gasPrice: GasPrice.fromString('0.01utru'), broadcastPollIntervalMs: 300 });
  }

  async function state() {
    const client = await StargateClient.connect(chain.rpcUrl);
    try {
      const accounts = await Promise.all([...senders, sink].map((a) => client.getAccount(a.address)));
      const balances = await Promise.all([...senders, sink, loadSink].map((a) => balanceOf(chain.restUrl!, a.address)));
      return { accounts, balances };
    } finally {
      client.disconnect();
    }
  }

  it('keeps height, blocks, balances and sequences across SIGTERM and a restart', async () => {
    const signer = await signingClient(senders[0]!);
    try {
      for (let i = 0; i < 3; i++) assertIsDeliverTxSuccess(await signer.sendTokens(senders[0]!.address, sink.address, coins(`${1000 + i}utru`), 'auto'));
    } finally {
      signer.disconnect();
    }
    const height = await latestHeight(chain.rpcUrl);
    const blocks = await Promise.all(Array.from({ length: height }, (_, i) => blockAt(chain.rpcUrl, i + 1)));
    const before = await state();

    assert.equal(await chain.stop(), 0, 'a clean exit on SIGTERM');
    assert.ok(await portClosed(RPC_PORT), 'the RPC port is closed');
    assert.ok(await portClosed(REST_PORT), 'the REST port is closed');

    await chain.start();
    assert.ok((await latestHeight(chain.rpcUrl)) >= height, 'the height did not go back');
    assert.deepEqual(await state(), before, 'balances and accounts survived');
    for (const b of blocks) assert.deepEqual(await blockAt(chain.rpcUrl, b.height), b, `block ${b.height} is unchanged`);

    // the chain continues from the stored block, and accepts the next sequence
    const again = await signingClient(senders[0]!);
    try {
      const r = await again.sendTokens(senders[0]!.address, sink.address, coins('7utru'), 'auto');
      assertIsDeliverTxSuccess(r);
      assert.ok(r.height > height);
      assert.equal((await again.getSequence(senders[0]!.address)).sequence, 4);
    } finally {
      again.disconnect();
    }
    const next = await blockAt(chain.rpcUrl, height + 1);
    assert.equal(next.lastBlockHash, blocks.at(-1)!.hash, 'the first block after the restart links to the last one before it');
  });

  it('recovers from SIGKILL in the middle of a tx load', async (t) => {
    const client = await StargateClient.connect(chain.rpcUrl);
    const numbers = await Promise.all(senders.map((s) => client.getSequence(s.address)));
    client.disconnect();

    // Each sender signs and submits its txs one after another, in sequence order, until the node
    // goes away (or a generous cap). The kill comes while they are running.
    let killed = false;
    let running = senders.length;
    const accepted: string[][] = senders.map(() => []);
    const load = senders.map(async (sender, i) => {
      try {
        let sequence = numbers[i]!.sequence;
        while (accepted[i]!.length < MAX_TXS_PER_SENDER) {
          const raw = await signTx(sender, [msgSend(sender.address, loadSink.address, '1utru')], { chainId: chain.chainId, accountNumber: numbers[i]!.accountNumber, sequence, fee: FEE });
          let r;
          try {
            r = await broadcastSync(chain.rpcUrl, raw);
          } catch (err) {
            if (killed) return 'stopped by the kill';
            throw err;
          }
          if (r.code === 0) {
            accepted[i]!.push(r.hash);
            sequence++;
          } else if (r.code !== 20) {
            throw new Error(`load tx rejected: code ${r.code}: ${r.log}`);
          }
        }
        return 'reached the cap';
      } finally {
        running--;
      }
    });

    // wait until a good number of load txs are committed, then crash the node
    const sinkQuery = `transfer.recipient='${loadSink.address}'`;
    await waitFor('load txs to be committed', async () => {
      const n = Number((await rpc(chain.rpcUrl, 'tx_search', { query: sinkQuery, per_page: '1' })).total_count);
      return n >= 60 ? n : undefined;
    }, 60_000);
    const committedBefore = (await rpc<{ txs: TxRecord[] }>(chain.rpcUrl, 'tx_search', { query: sinkQuery, per_page: '100' })).txs;
    const observedHeight = await latestHeight(chain.rpcUrl);
    assert.equal(running, senders.length, 'the load is still running when the node is killed');
    killed = true;
    await chain.kill();
    assert.deepEqual(await Promise.all(load), senders.map(() => 'stopped by the kill'));
    const submitted = accepted.flat();
    assert.ok(submitted.length > committedBefore.length);
    t.diagnostic(`killed at height ≥ ${observedHeight} with ${submitted.length} load txs accepted, ≥ ${committedBefore.length} committed`);

    await chain.start();
    const restartHeight = await latestHeight(chain.rpcUrl);
    assert.ok(restartHeight >= observedHeight, `the height continues (${restartHeight} ≥ ${observedHeight} seen before the kill)`);
    const top = await waitForHeight(chain.rpcUrl, restartHeight + 2);

    // every height once, each block linked to the one before, no tx in two blocks
    const seen = new Map<string, number>();
    let previous: BlockView | undefined;
    for (let h = 1; h <= top; h++) {
      const b = await blockAt(chain.rpcUrl, h);
      assert.equal(b.height, h);
      if (previous) assert.equal(b.lastBlockHash, previous.hash, `block ${h} links to block ${h - 1}`);
      else assert.equal(b.lastBlockHash, '');
      for (const hash of b.txHashes) {
        assert.equal(seen.get(hash), undefined, `tx ${hash} is in blocks ${seen.get(hash)} and ${h}`);
        seen.set(hash, h);
      }
      previous = b;
    }
    const blockchain = await rpc(chain.rpcUrl, 'blockchain', { minHeight: String(Math.max(1, top - 19)), maxHeight: String(top) });
    const metaHeights = blockchain.block_metas.map((m: { header: { height: string } }) => Number(m.header.height));
    assert.deepEqual(metaHeights, [...new Set(metaHeights)], 'blockchain lists each height once');

    // what was committed before the kill is still there, at the same heights
    for (const t of committedBefore) {
      assert.equal(seen.get(t.hash), Number(t.height), `tx ${t.hash} committed at ${t.height} before the kill`);
      const found = await rpc<{ txs: TxRecord[] }>(chain.rpcUrl, 'tx_search', { query: `tx.hash='${t.hash}'` });
      assert.equal(found.txs[0]?.height, t.height);
      assert.equal(found.txs[0]?.index, t.index);
    }
    // the tx index agrees with the blocks: every tx in a block is found where it is
    for (const [hash, height] of seen) {
      const r = await rpc<{ txs: TxRecord[]; total_count: string }>(chain.rpcUrl, 'tx_search', { query: `tx.hash='${hash}'` });
      assert.equal(r.total_count, '1', `tx ${hash} (block ${height}) is indexed`);
      assert.equal(Number(r.txs[0]!.height), height);
    }
    const loadInChain = [...seen.keys()].filter((h) => submitted.includes(h));
    assert.equal(Number((await rpc(chain.rpcUrl, 'tx_search', { query: sinkQuery, per_page: '1' })).total_count), loadInChain.length, 'the event index counts each load tx once');
    assert.ok(loadInChain.length >= committedBefore.length);
    t.diagnostic(`after the restart: height ${top}, ${loadInChain.length} load txs in the chain, ${submitted.length - loadInChain.length} accepted ones lost with the mempool`);
    assert.equal((await balanceOf(chain.restUrl!, loadSink.address)), BigInt(loadInChain.length), 'each committed load tx moved 1utru');

    // sequences = txs each sender has in the chain; the next tx with that sequence is accepted
    const txsBySender = new Map<string, number>();
    for (let h = 1; h <= top; h++) {
      for (const tx of (await blockAt(chain.rpcUrl, h)).txs) {
        const from = MsgSend.decode(decodeTxRaw(Buffer.from(tx, 'base64')).body.messages[0]!.value).fromAddress;
        txsBySender.set(from, (txsBySender.get(from) ?? 0) + 1);
      }
    }
    const after = await StargateClient.connect(chain.rpcUrl);
    try {
      for (const [i, sender] of senders.entries()) {
        const { accountNumber, sequence } = await after.getSequence(sender.address);
        assert.equal(sequence, txsBySender.get(sender.address) ?? 0, `sequence of sender ${i}`);
        const raw = await signTx(sender, [msgSend(sender.address, loadSink.address, '1utru')], { chainId: chain.chainId, accountNumber, sequence, fee: FEE });
        const r = await broadcastSync(chain.rpcUrl, raw);
        assert.equal(r.code, 0, r.log);
        assert.equal((await waitForTx(chain.rpcUrl, r.hash)).tx_result.code, 0);
      }
    } finally {
      after.disconnect();
    }

    await checkSupplyInvariant({ rpcUrl: chain.rpcUrl, restUrl: chain.restUrl!, genesis, known: [...senders, sink, loadSink].map((a) => a.address) });
  });
});
