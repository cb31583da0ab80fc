import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SigningStargateClient } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { moduleAddress, sha256, toBase64, toUpperHex } from '@trucom/crypto';
import { Mempool, type Event } from '@trucom/chain';
import { FEE_COLLECTOR } from '@trucom/auth';
import { DEFAULT_FEE, msgMultiSend, msgSend, signTx, signTxMulti, testAccounts, TestChain, type TestAccount } from './testing.js';

const FEE_COLLECTOR_ADDRESS = moduleAddress(FEE_COLLECTOR);
const attrs = (events: Event[], type: string) => events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));

let alice: TestAccount, bob: TestAccount, carol: TestAccount, dave: TestAccount;
before(async () => {
  [alice, bob, carol, dave] = await testAccounts(4);
});

const GENESIS = () => [
  { address: alice.address, coins: '500stake,1000000000utru' },
  { address: bob.address, coins: '1000000utru' },
  { address: dave.address, coins: '2000utru' },
];

describe('test accounts come from unmodified cosmjs wallets', () => {
  test('tru-prefixed, distinct, stable addresses', () => {
    for (const a of [alice, bob, carol, dave]) assert.match(a.address, /^tru1[02-9ac-hj-np-z]{38}$/);
    assert.equal(new Set([alice, bob, carol, dave].map((a) => a.address)).size, 4);
    assert.equal(alice.pubkey.length, 33);
  });
});

describe('genesis', () => {
  let chain: TestChain;
  beforeEach(async () => {
    chain = await TestChain.start({ balances: GENESIS() });
  });
  afterEach(async () => {
    await chain.destroy();
  });

  test('mints the genesis balances and creates accounts in genesis order', async () => {
    assert.equal(await chain.balance(alice.address), 1_000_000_000n);
    assert.equal(await chain.balance(alice.address, 'stake'), 500n);
    assert.equal(await chain.balance(bob.address), 1_000_000n);
    assert.deepEqual(await chain.totalSupply(), [
      { denom: 'stake', amount: '500' },
      { denom: 'utru', amount: '1001002000' },
    ]);
    assert.deepEqual(await chain.account(alice.address), { address: alice.address, accountNumber: 0n, sequence: 0n, pubkey: undefined });
    assert.equal((await chain.account(bob.address))?.accountNumber, 1n);
    assert.equal((await chain.account(dave.address))?.accountNumber, 2n);
    assert.equal(await chain.account(carol.address), undefined);
    assert.deepEqual(await chain.app.brokenInvariants(), []);
    assert.equal(chain.app.info().height, 0);
  });

  test('the same genesis gives the same app hash; a different one does not', async () => {
    const same = await TestChain.start({ balances: GENESIS() });
    const different = await TestChain.start({ balances: [...GENESIS().slice(0, 2), { address: dave.address, coins: '2001utru' }] });
    try {
      assert.deepEqual(same.appHash, chain.appHash);
      assert.notDeepEqual(different.appHash, chain.appHash);
    } finally {
      await same.destroy();
      await different.destroy();
    }
  });

  test('rejects invalid genesis balances', async () => {
    await assert.rejects(TestChain.start({ balances: [{ address: 'cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu', coins: '1utru' }] }), /invalid address/);
    await assert.rejects(TestChain.start({ balances: [{ address: alice.address, coins: '1utru' }, { address: alice.address, coins: '2utru' }] }), /duplicate/);
  });
});

describe('MsgSend', () => {
  let chain: TestChain;
  beforeEach(async () => {
    chain = await TestChain.start({ balances: GENESIS() });
  });
  afterEach(async () => {
    await chain.destroy();
  });

  test('moves funds, pays the fee to the fee collector, bumps the sequence and stores the pubkey', async () => {
    const raw = await signTx(alice, [msgSend(alice.address, bob.address, '1234utru')], { ...(await chain.signerData(alice.address)) });
    const check = await chain.checkTx(raw);
    assert.equal(check.code, 0, check.log);
    assert.equal(check.priority, 0n, '2000utru / 200000 gas rounds down to 0 utru per gas');
    const { txResults } = await chain.deliver([raw]);
    const r = txResults[0]!;
    assert.equal(r.code, 0, r.log);
    assert.equal(r.gasWanted, 200_000);
    assert.ok(r.gasUsed > 0 && r.gasUsed <= 200_000, `gas used ${r.gasUsed}`);
    assert.equal(await chain.balance(alice.address), 1_000_000_000n - 1234n - 2000n);
    assert.equal(await chain.balance(bob.address), 1_000_000n + 1234n);
    assert.equal(await chain.balance(FEE_COLLECTOR_ADDRESS), 2000n);
    const a = await chain.account(alice.address);
    assert.equal(a?.sequence, 1n);
    assert.deepEqual(a?.pubkey, alice.pubkey);
    assert.deepEqual(await chain.totalSupply(), [
      { denom: 'stake', amount: '500' },
      { denom: 'utru', amount: '1001002000' },
    ]);
    const data = TxMsgData.decode(r.data);
    assert.deepEqual(data.msgResponses.map((m) => m.typeUrl), ['/cosmos.bank.v1beta1.MsgSendResponse']);
  });

  test('emits the Cosmos SDK event sequence', async () => {
    const raw = await signTx(alice, [msgSend(alice.address, bob.address, '1234utru')], { ...(await chain.signerData(alice.address)) });
    const { events } = (await chain.deliver([raw])).txResults[0]!;
    assert.deepEqual(events.map((e) => e.type), [
      'coin_spent', 'coin_received', 'transfer', 'message', // fee
      'tx', 'tx', 'tx', // fee + payer, acc_seq, signature
      'message', 'coin_spent', 'coin_received', 'transfer', 'message', // the message
    ]);
    assert.deepEqual(attrs(events, 'tx'), [
      { fee: '2000utru', fee_payer: alice.address },
      { acc_seq: `${alice.address}/0` },
      { signature: toBase64(TxRaw.decode(raw).signatures[0]!) },
    ]);
    assert.deepEqual(attrs(events, 'transfer'), [
      { recipient: FEE_COLLECTOR_ADDRESS, sender: alice.address, amount: '2000utru' },
      { recipient: bob.address, sender: alice.address, amount: '1234utru', msg_index: '0' },
    ]);
    assert.deepEqual(attrs(events, 'message')[1], { action: '/cosmos.bank.v1beta1.MsgSend', sender: alice.address, module: 'bank', msg_index: '0' });
    // Searchable attributes are indexed; bulky or unique ones (amounts, fees, signatures, positions) are not.
    const unindexed = new Set(['amount', 'fee', 'signature', 'msg_index']);
    assert.ok(events.every((e) => e.attributes.every((a) => a.index === !unindexed.has(a.key))));
  });

  test('sends several denoms in one message', async () => {
    const raw = await signTx(alice, [msgSend(alice.address, carol.address, '5stake,10utru')], { ...(await chain.signerData(alice.address)) });
    assert.equal((await chain.deliver([raw])).txResults[0]!.code, 0);
    assert.deepEqual(await chain.allBalances(carol.address), [
      { denom: 'stake', amount: '5' },
      { denom: 'utru', amount: '10' },
    ]);
  });

  test('creates accounts on first receipt with increasing account numbers', async () => {
    const signer = await chain.signerData(alice.address);
    const tx0 = await signTx(alice, [msgSend(alice.address, carol.address, '1utru')], { ...signer, sequence: 0 });
    await chain.deliver([tx0]);
    // Genesis: alice 0, bob 1, dave 2; the first fee creates the fee collector (3), then carol (4).
    assert.equal((await chain.account(FEE_COLLECTOR_ADDRESS))?.accountNumber, 3n);
    assert.deepEqual(await chain.account(carol.address), { address: carol.address, accountNumber: 4n, sequence: 0n, pubkey: undefined });
    // A second send to carol does not renumber her; a new recipient gets the next number.
    const other = (await testAccounts(1, 10))[0]!;
    const tx1 = await signTx(alice, [msgSend(alice.address, carol.address, '1utru'), msgSend(alice.address, other.address, '1utru')], { ...signer, sequence: 1 });
    assert.equal((await chain.deliver([tx1])).txResults[0]!.code, 0);
    assert.equal((await chain.account(carol.address))?.accountNumber, 4n);
    assert.equal((await chain.account(other.address))?.accountNumber, 5n);
  });

  test('a new account can spend what it received, signing with its own account number', async () => {
    await chain.deliver([await signTx(alice, [msgSend(alice.address, carol.address, '100000utru')], { ...(await chain.signerData(alice.address)) })]);
    const carolData = await chain.signerData(carol.address);
    assert.equal(carolData.accountNumber, 4n);
    const raw = await signTx(carol, [msgSend(carol.address, bob.address, '500utru')], { ...carolData });
    assert.equal((await chain.deliver([raw])).txResults[0]!.code, 0);
    assert.equal(await chain.balance(carol.address), 100_000n - 500n - 2000n);
  });

  test('several txs of one sender in one block, in sequence order', async () => {
    const signer = await chain.signerData(alice.address);
    const txs = await Promise.all([0, 1, 2].map((seq) => signTx(alice, [msgSend(alice.address, bob.address, `${seq + 1}utru`)], { ...signer, sequence: seq })));
    for (const tx of txs) assert.equal((await chain.checkTx(tx)).code, 0, 'the check state counts pending txs');
    const { txResults } = await chain.deliver(txs);
    assert.deepEqual(txResults.map((r) => r.code), [0, 0, 0]);
    assert.equal(await chain.balance(bob.address), 1_000_000n + 6n);
    assert.equal((await chain.account(alice.address))?.sequence, 3n);
  });

  test('a tx with two signers: each signs with its own account number and sequence; the first pays', async () => {
    const raw = await signTxMulti(
      [
        { account: alice, accountNumber: 0, sequence: 0 },
        { account: bob, accountNumber: 1, sequence: 0 },
      ],
      [msgSend(alice.address, carol.address, '10utru'), msgSend(bob.address, carol.address, '20utru')],
      { chainId: chain.chainId },
    );
    const r = (await chain.deliver([raw])).txResults[0]!;
    assert.equal(r.code, 0, r.log);
    assert.equal(await chain.balance(carol.address), 30n);
    assert.equal(await chain.balance(alice.address), 1_000_000_000n - 10n - 2000n);
    assert.equal(await chain.balance(bob.address), 1_000_000n - 20n);
    assert.equal((await chain.account(bob.address))?.sequence, 1n);
  });

  test('a tx signed by SigningStargateClient (offline, explicit signer data) is accepted', async () => {
    const client = await SigningStargateClient.offline(alice.wallet);
    const signer = await chain.signerData(alice.address);
    const txRaw = await client.sign(alice.address, [msgSend(alice.address, bob.address, '777utru')], DEFAULT_FEE as never, 'from cosmjs', {
      accountNumber: signer.accountNumber,
      sequence: Number(signer.sequence),
      chainId: chain.chainId,
    });
    const raw = TxRaw.encode(txRaw).finish();
    assert.equal((await chain.checkTx(raw)).code, 0);
    const r = (await chain.deliver([raw])).txResults[0]!;
    assert.equal(r.code, 0, r.log);
    assert.equal(await chain.balance(bob.address), 1_000_777n);
  });
});

describe('MsgMultiSend', () => {
  let chain: TestChain;
  beforeEach(async () => {
    chain = await TestChain.start({ balances: GENESIS() });
  });
  afterEach(async () => {
    await chain.destroy();
  });

  test('debits the single input once and credits every output, creating new accounts', async () => {
    const msg = msgMultiSend(alice.address, [
      { address: bob.address, coins: '100utru' },
      { address: carol.address, coins: '5stake,200utru' },
    ], '5stake,300utru');
    const raw = await signTx(alice, [msg], { ...(await chain.signerData(alice.address)) });
    const r = (await chain.deliver([raw])).txResults[0]!;
    assert.equal(r.code, 0, r.log);
    assert.equal(await chain.balance(alice.address), 1_000_000_000n - 300n - 2000n);
    assert.equal(await chain.balance(alice.address, 'stake'), 495n);
    assert.equal(await chain.balance(bob.address), 1_000_100n);
    assert.deepEqual(await chain.allBalances(carol.address), [
      { denom: 'stake', amount: '5' },
      { denom: 'utru', amount: '200' },
    ]);
    assert.deepEqual(TxMsgData.decode(r.data).msgResponses.map((m) => m.typeUrl), ['/cosmos.bank.v1beta1.MsgMultiSendResponse']);
    assert.deepEqual(attrs(r.events, 'transfer').slice(1), [
      { recipient: bob.address, amount: '100utru', msg_index: '0' },
      { recipient: carol.address, amount: '5stake,200utru', msg_index: '0' },
    ]);
  });

  test('inputs that do not equal the outputs are rejected before execution (code 10)', async () => {
    const msg = msgMultiSend(alice.address, [{ address: bob.address, coins: '100utru' }], '99utru');
    const raw = await signTx(alice, [msg], { ...(await chain.signerData(alice.address)) });
    const before = chain.appHash;
    assert.equal((await chain.checkTx(raw)).code, 10);
    assert.equal((await chain.deliver([raw])).txResults[0]!.code, 10);
    assert.deepEqual(chain.appHash, before);
  });

  test('an input larger than the balance fails with code 5; the fee is still paid', async () => {
    const msg = msgMultiSend(dave.address, [{ address: bob.address, coins: '1utru' }]);
    // dave has exactly the 2000utru fee and nothing left to send.
    const raw = await signTx(dave, [msg], { ...(await chain.signerData(dave.address)) });
    assert.equal((await chain.checkTx(raw)).code, 0, 'CheckTx runs only the ante handler');
    const r = (await chain.deliver([raw])).txResults[0]!;
    assert.equal(r.code, 5, r.log);
    assert.equal(await chain.balance(dave.address), 0n);
    assert.equal(await chain.balance(bob.address), 1_000_000n);
    assert.equal((await chain.account(dave.address))?.sequence, 1n);
  });
});

describe('determinism', () => {
  test('the same txs give the same app hash and results in two fresh stores', async () => {
    const [c1, c2] = await Promise.all([TestChain.start({ balances: GENESIS() }), TestChain.start({ balances: GENESIS() })]);
    try {
      const signer = await c1.signerData(alice.address);
      const blocks = [
        [
          await signTx(alice, [msgSend(alice.address, carol.address, '1000utru')], { ...signer, sequence: 0 }),
          await signTx(bob, [msgSend(bob.address, alice.address, '5utru')], { ...(await c1.signerData(bob.address)) }),
        ],
        [
          await signTx(alice, [msgSend(alice.address, bob.address, '999999999999utru')], { ...signer, sequence: 1 }), // code 5
          Uint8Array.of(1, 2, 3), // code 2
          await signTx(alice, [msgMultiSend(alice.address, [{ address: dave.address, coins: '1stake' }])], { ...signer, sequence: 2 }),
        ],
        [],
      ];
      for (const [i, txs] of blocks.entries()) {
        const r1 = await c1.deliver(txs);
        const r2 = await c2.deliver(txs);
        assert.deepEqual(r1.appHash, r2.appHash, `block ${i + 1}`);
        assert.deepEqual(r1.txResults, r2.txResults, `block ${i + 1}`);
      }
      assert.deepEqual(c1.appHash, c2.appHash);
      assert.deepEqual(await c1.allBalances(alice.address), await c2.allBalances(alice.address));
    } finally {
      await c1.destroy();
      await c2.destroy();
    }
  });

  test('reopening the database gives the same app hash and balances', async () => {
    const chain = await TestChain.start({ balances: GENESIS() });
    try {
      await chain.deliver([await signTx(alice, [msgSend(alice.address, bob.address, '42utru')], { ...(await chain.signerData(alice.address)) })]);
      const hash = chain.appHash;
      await chain.db.close();
      const { openChainDB, CommittedState } = await import('@trucom/chain');
      const db = await openChainDB(chain.dir);
      try {
        const state = await CommittedState.open(db);
        assert.deepEqual(state.appHash, hash);
        assert.equal(state.height, 1);
      } finally {
        await db.close();
      }
    } finally {
      await chain.destroy();
    }
  });
});

describe('mempool with real signed txs', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.start({ balances: GENESIS() });
  });
  after(async () => {
    await chain.destroy();
  });

  test('admit, reap, commit, update: the mempool empties and the next sequence is admitted', async () => {
    const mempool = new Mempool(chain.app, { maxTxs: 100, maxBytes: 1 << 20 });
    const signer = await chain.signerData(alice.address);
    const txs = await Promise.all([0, 1, 2].map((seq) => signTx(alice, [msgSend(alice.address, bob.address, '1utru')], { ...signer, sequence: seq })));
    for (const tx of txs) assert.equal((await mempool.add(tx, chain.blockInfo())).code, 0);
    assert.equal((await mempool.add(txs[1]!, chain.blockInfo())).code, 19);
    const block = mempool.reap(1 << 20, -1).slice(0, 2);
    assert.deepEqual(block, txs.slice(0, 2));
    const result = await chain.deliver(block);
    assert.deepEqual(result.txResults.map((r) => r.code), [0, 0]);
    await mempool.update(block.map((tx) => toUpperHex(sha256(tx))), chain.blockInfo());
    assert.deepEqual(mempool.reap(1 << 20, -1), [txs[2]]);
    const next = await signTx(alice, [msgSend(alice.address, bob.address, '1utru')], { ...signer, sequence: 3 });
    assert.equal((await mempool.add(next, chain.blockInfo())).code, 0);
  });
});
