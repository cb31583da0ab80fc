import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '@trucom/crypto';
import { ChainNode, type GenesisState } from './chain-node.js';
import { makeValidator } from './validator-set.js';
import { CommittedState } from '../state/committed-state.js';
import { BlockIDFlag, resultsHash, type Commit } from '../block/types.js';
import { tempDB, type TempDB } from '../testing/temp-db.js';
import { TOY_CHAIN_ID, toyApplication, toyTx } from '../testing/toy-app.js';

const PROPOSER = new Uint8Array(20).fill(7);
const genesis: GenesisState = {
  chainId: TOY_CHAIN_ID,
  time: { seconds: 1_700_000_000, nanos: 0 },
  validators: [makeValidator(new Uint8Array(32).fill(1), 10, 'v0')],
  appState: { toy: {} },
};

async function openNode(t: TempDB): Promise<ChainNode> {
  return ChainNode.open({ db: t.db, app: toyApplication(await CommittedState.open(t.db)), genesis });
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
    let node = await openNode(t);
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
    node = await openNode(t);
    assert.equal(node.height, 1);
    assert.deepEqual(node.latestBlock?.results.txResults, []);
    assert.equal(next(), expected, 'after a restart too');
  });
});
