import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '@trucom/crypto';
import { ChainNode, type GenesisState } from './chain-node.js';
import { makeValidator } from './validator-set.js';
import { CommittedState } from '../state/committed-state.js';
import type { Batch, BlockEffects, ChainDB } from '../db.js';
import { BlockIDFlag, resultsHash, type Commit } from '../block/types.js';
import { tempDB, type TempDB } from '../testing/temp-db.js';
import { TOY_CHAIN_ID, counterKey, toyApplication, toyTx } from '../testing/toy-app.js';

const PROPOSER = new Uint8Array(20).fill(7);
const genesis: GenesisState = {
  chainId: TOY_CHAIN_ID,
  time: { seconds: 1_700_000_000, nanos: 0 },
  validators: [makeValidator(new Uint8Array(32).fill(1), 10, 'v0')],
  appState: { toy: {} },
};

async function openNode(t: TempDB, db: ChainDB = t.db): Promise<{ node: ChainNode; state: CommittedState }> {
  const state = await CommittedState.open(db);
  return { node: await ChainNode.open({ db, app: toyApplication(state), genesis }), state };
}

/**
 * Makes `db`'s background writes wait for `release()` (a slow disk), or drops them (a crash before
 * they happen): all of them, or only the main database's (a crash between the two).
 */
function holdWrites(db: ChainDB) {
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  const control = { drop: 'none' as 'none' | 'all' | 'main', release };
  const hold = (batch: Batch, dropped: boolean) => {
    const write = batch.write.bind(batch) as (options: object) => Promise<void>;
    (batch as { write: (options: object) => Promise<void> }).write = (options) => (dropped ? batch.close() : released.then(() => write(options)));
  };
  const writeBehind = db.writeBehind.bind(db);
  db.writeBehind = (filling: BlockEffects | Promise<BlockEffects>) =>
    writeBehind(
      Promise.resolve(filling).then((effects) => {
        hold(effects.blocks, control.drop === 'all');
        hold(effects.main, control.drop !== 'none');
        return effects;
      }),
    );
  return control;
}

/** Proposes and commits the mempool's txs as the next block. */
async function commitNext(node: ChainNode) {
  const height = node.height + 1;
  return node.commitBlock(node.proposeBlock(PROPOSER, { seconds: genesis.time.seconds + height, nanos: 0 }), commitFor(height));
}

/** commitBlock does not check the commit (consensus did): an unsigned one is enough here. */
function commitFor(height: number): Commit {
  return { height, round: 0, blockId: { hash: new Uint8Array(32), partSetHeader: { total: 0, hash: new Uint8Array() } }, signatures: [{ blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT }] } as unknown as Commit;
}

describe('ChainNode: the last block and its results', () => {
  let t: TempDB;
  before(async () => {
    t = await tempDB('trucom-chain-node-');
  });
  after(() => t.destroy());

  test('the latest block is kept without tx results; they are read from the tx index, and its results hash survives a restart', async () => {
    let { node } = await openNode(t);
    const txs = [toyTx([{ signer: 'alice', key: 'a', amount: 2 }]), toyTx([{ signer: 'bob', key: 'b', amount: 1, fail: true }])];
    for (const raw of txs) assert.equal((await node.submitTx(raw)).code, 0);
    const block = node.proposeBlock(PROPOSER, { seconds: genesis.time.seconds + 1, nanos: 0 });
    assert.equal(block.data?.txs?.length, 2);
    const committed = await node.commitBlock(block, commitFor(1));
    assert.deepEqual(committed.results.txResults.map((r) => r.code), [0, 5], 'listeners get the results, the failed tx included');
    assert.ok(committed.results.txResults[0]!.events!.some((e) => e.type === 'toy'), 'with their events');

    assert.deepEqual(node.latestBlock?.results.txResults, [], 'the node keeps the block without them');
    const stored = await node.storedBlock(1, { withTxResults: true });
    assert.deepEqual(stored?.results.txResults.map((r) => [r.code, r.events?.map((e) => e.type)]), committed.results.txResults.map((r) => [r.code, r.events?.map((e) => e.type)]));
    const expected = toHex(resultsHash(committed.results.txResults));
    const next = () => toHex(node.proposeBlock(PROPOSER, { seconds: genesis.time.seconds + 2, nanos: 0 }).header!.lastResultsHash!);
    assert.equal(next(), expected, "the next block carries the last block's results hash");

    await t.reopen();
    ({ node } = await openNode(t));
    assert.equal(node.height, 1);
    assert.deepEqual(node.latestBlock?.results.txResults, []);
    assert.equal(next(), expected, 'after a restart too');
  });
});

describe("ChainNode: a block's effects are written behind", () => {
  let t: TempDB;
  before(async () => {
    t = await tempDB('trucom-chain-node-behind-');
  });
  after(() => t.destroy());

  test('while they are being written, listeners have heard of the block, the state already reads them and the tx index waits for them', async () => {
    const db = await t.reopen();
    const writes = holdWrites(db);
    const { node, state } = await openNode(t, db);
    const heard: number[] = [];
    node.onBlock((b) => void heard.push(Number(b.block.header!.height)));
    assert.equal((await node.submitTx(toyTx([{ signer: 'alice', key: 'w', amount: 5 }]))).code, 0);
    const committed = await commitNext(node);

    assert.equal(node.height, 1, 'consensus can move on');
    assert.equal(Buffer.from(state.get(counterKey('w'))!).toString(), '5', 'the state reads the new value from memory');
    let indexed = false;
    const record = node.txIndex.get(Buffer.from(committed.txHashes[0]!, 'hex')).then((r) => ((indexed = true), r));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(indexed, false, 'a tx index read waits for the write');
    assert.deepEqual(heard, [1], 'listeners hear of the block once the block itself is on disk');

    writes.release();
    assert.equal((await record)?.result?.code, 0);
    await node.settled();
  });

  test('the blocks database holds only keys that start with their height, in height order', async () => {
    const { node } = await openNode(t, await t.reopen());
    for (let i = 0; i < 3; i++) {
      assert.equal((await node.submitTx(toyTx([{ signer: 'dave', key: 'd', amount: 1 }], { sequence: i }))).code, 0);
      await commitNext(node);
    }
    await node.settled();
    const keys: string[] = [];
    for await (const key of t.db.blocks.keys()) keys.push(key.toString());
    assert.ok(keys.length >= 3 * 4, 'block, commit, results and a tx record per height');
    assert.deepEqual(keys.map((k) => Number(k.slice(0, 16))), [...keys.map((k) => Number(k.slice(0, 16)))].sort((a, b) => a - b));
    assert.ok(keys.every((k) => /^\d{16}[bcr]$|^\d{16}t\d{8}$/.test(k)), keys.find((k) => !/^\d{16}/.test(k)));
  });

  for (const drop of ['all', 'main'] as const) {
    test(`a crash after the block is stored but before ${drop === 'all' ? 'its effects are' : 'its state is'} written: opening the node executes the block again`, async () => {
      const db = await t.reopen();
      const { node } = await openNode(t, db);
      const signer = `carol-${drop}`;
      assert.equal((await node.submitTx(toyTx([{ signer, key: signer, amount: 3 }]))).code, 0);
      const writes = holdWrites(db);
      writes.drop = drop;
      writes.release();
      const committed = await commitNext(node);
      const height = Number(committed.block.header!.height);
      const appHash = toHex(node.app.info().appHash);

      const reopened = await openNode(t, await t.reopen());
      assert.equal(reopened.node.height, height, 'the stored block is the last one');
      assert.equal(toHex(reopened.node.app.info().appHash), appHash, 'with the same state as before the crash');
      assert.equal(Buffer.from(reopened.state.get(counterKey(signer))!).toString(), '3');
      const stored = await reopened.node.storedBlock(height, { withTxResults: true });
      assert.deepEqual(stored?.results.txResults.map((r) => r.code), [0], 'and its tx results indexed');
      assert.equal((await reopened.node.txIndex.get(Buffer.from(committed.txHashes[0]!, 'hex')))?.index, 0);
    });
  }
});
