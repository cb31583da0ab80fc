import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PREFIX, dbKey, openChainDB } from './db.js';
import { tempDB } from './testing/temp-db.js';
import { ChainNode } from './node/chain-node.js';
import { makeValidator } from './node/validator-set.js';
import { CommittedState } from './state/committed-state.js';
import { BlockIDFlag, type Commit } from './block/types.js';
import { TOY_CHAIN_ID, toyApplication, toyTx } from './testing/toy-app.js';

test('the blocks database holds only keys that start with their height, in height order', async () => {
  const t = await tempDB('trucom-db-');
  try {
    const genesis = { chainId: TOY_CHAIN_ID, time: { seconds: 1_700_000_000, nanos: 0 }, validators: [makeValidator(new Uint8Array(32).fill(1), 10, 'v0')], appState: { toy: {} } };
    const node = await ChainNode.open({ db: t.db, app: toyApplication(await CommittedState.open(t.db)), genesis });
    for (let height = 1; height <= 3; height++) {
      assert.equal((await node.submitTx(toyTx([{ signer: 's', key: 'k', amount: 1 }], { sequence: height - 1 }))).code, 0);
      const block = node.proposeBlock(new Uint8Array(20), { seconds: genesis.time.seconds + height, nanos: 0 });
      await node.commitBlock(block, { height, round: 0, blockId: { hash: new Uint8Array(32), partSetHeader: { total: 0, hash: new Uint8Array() } }, signatures: [{ blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT }] } as unknown as Commit);
    }
    await node.settled();
    const keys: string[] = [];
    for await (const key of t.db.blocks.keys()) keys.push(key.toString());
    assert.ok(keys.length >= 3 * 4, 'block, commit, results and a tx record per height');
    assert.deepEqual(keys.map((k) => Number(k.slice(0, 16))), [...keys.map((k) => Number(k.slice(0, 16)))].sort((a, b) => a - b));
    assert.ok(keys.every((k) => /^\d{16}[bcr]$|^\d{16}t\d{8}$/.test(k)), keys.find((k) => !/^\d{16}/.test(k)));
  } finally {
    await t.destroy();
  }
});

test('a database in the older layout (blocks in the main database) is refused with what to do', async () => {
  const t = await tempDB('trucom-db-old-');
  try {
    await t.db.put(dbKey(PREFIX.meta, 'block_height'), Buffer.from('12'));
    await t.db.close();
    await assert.rejects(openChainDB(t.dir), /older storage layout; delete it/);
  } finally {
    await t.destroy();
  }
});
