import { afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { decodeTx, directSignBytes } from '@trucom/chain';
import { isLowS, moduleAddress, verifySecp256k1 } from '@trucom/crypto';
import { FEE_COLLECTOR } from '@trucom/auth';
import { MAX_TX_BYTES } from './app.js';
import { defaultRegistry, highS, msgSend, signTx, testAccounts, TestChain, withSignatures, type SignOptions, type TestAccount } from './testing.js';

const FEE_COLLECTOR_ADDRESS = moduleAddress(FEE_COLLECTOR);

let alice: TestAccount, bob: TestAccount, carol: TestAccount, dave: TestAccount;
before(async () => {
  [alice, bob, carol, dave] = await testAccounts(4);
});

interface Snapshot {
  readonly appHash: Uint8Array;
  readonly balances: bigint[];
  readonly aliceSequence: bigint | undefined;
  readonly collector: boolean;
}

describe('ante checks: each bad input gets its code and changes nothing', () => {
  let chain: TestChain;
  let aliceSigner: SignOptions;

  beforeEach(async () => {
    chain = await TestChain.start({
      balances: [
        { address: alice.address, coins: '1000000000utru' },
        { address: bob.address, coins: '1000000utru' },
        { address: dave.address, coins: '100utru' },
      ],
    });
    aliceSigner = { ...(await chain.signerData(alice.address)) };
  });
  afterEach(async () => {
    await chain.destroy();
  });

  async function snapshot(): Promise<Snapshot> {
    return {
      appHash: chain.appHash,
      balances: await Promise.all([alice, bob, carol, dave].map((a) => chain.balance(a.address))),
      aliceSequence: (await chain.account(alice.address))?.sequence,
      collector: (await chain.account(FEE_COLLECTOR_ADDRESS)) !== undefined,
    };
  }

  const send = (opts: Partial<SignOptions> = {}, amount = '1000utru', signer = alice) =>
    signTx(signer, [msgSend(signer.address, bob.address, amount)], { ...aliceSigner, ...opts });

  /**
   * CheckTx rejects with `check` (unless null: admitted), the block includes the tx with `deliver`,
   * and the committed state is exactly as before (same app hash, balances, sequence).
   */
  async function rejected(raw: Uint8Array, codes: { check: number | null; deliver: number }, log?: RegExp): Promise<void> {
    const before = await snapshot();
    const check = await chain.checkTx(raw);
    if (codes.check === null) assert.equal(check.code, 0, check.log);
    else {
      assert.equal(check.code, codes.check, `check: ${check.log}`);
      assert.equal(check.codespace, 'sdk');
      if (log) assert.match(check.log, log);
    }
    const { txResults } = await chain.deliver([raw]);
    assert.equal(txResults[0]!.code, codes.deliver, `deliver: ${txResults[0]!.log}`);
    if (log) assert.match(txResults[0]!.log, log);
    assert.deepEqual(await snapshot(), before, 'state unchanged');
    // The check state was not polluted either: the next valid tx of alice is admitted and executes.
    const ok = await send({ sequence: before.aliceSequence ?? 0n }, '1utru');
    assert.equal((await chain.checkTx(ok)).code, 0);
    assert.equal((await chain.deliver([ok])).txResults[0]!.code, 0);
    aliceSigner = { ...(await chain.signerData(alice.address)) };
  }

  test('a valid tx passes (baseline for the cases below)', async () => {
    const raw = await send();
    assert.equal((await chain.checkTx(raw)).code, 0);
    assert.equal((await chain.deliver([raw])).txResults[0]!.code, 0);
  });

  test('undecodable bytes: code 2', async () => {
    await rejected(Uint8Array.of(0x0a, 0x05, 0x01), { check: 2, deliver: 2 }, /tx parse error/);
    await rejected(new Uint8Array([0xff, 0xff, 0xff]), { check: 2, deliver: 2 });
    await rejected(new Uint8Array(), { check: 2, deliver: 2 });
  });

  test('a message value that is not its type: code 2', async () => {
    const registry = defaultRegistry();
    registry.register('/cosmos.bank.v1beta1.MsgSend', {
      encode: () => ({ finish: () => Uint8Array.of(0x0a, 0x50, 0x01) }),
      decode: MsgSend.decode,
      fromPartial: MsgSend.fromPartial,
    } as never);
    await rejected(await signTx(alice, [msgSend(alice.address, bob.address, '1utru')], { ...aliceSigner, registry }), { check: 2, deliver: 2 }, /cannot decode \/cosmos.bank.v1beta1.MsgSend: tx parse error/);
  });

  test('bad signature: code 4', async () => {
    const raw = withSignatures(await send(), ([sig]) => {
      sig![10] = sig![10]! ^ 0x01;
      return [sig!];
    });
    await rejected(raw, { check: 4, deliver: 4 }, /signature verification failed; please verify account number \(0\) and chain-id \(trucom-test-1\): unauthorized/);
  });

  test('high-S signature (s replaced by n - s): code 4, although it is a valid ECDSA signature', async () => {
    const good = await send();
    const raw = withSignatures(good, ([sig]) => [highS(sig!)]);
    const tx = decodeTx(raw);
    const signBytes = directSignBytes(tx, chain.chainId, 0n);
    assert.equal(isLowS(decodeTx(good).signatures[0]!), true);
    assert.equal(isLowS(tx.signatures[0]!), false);
    assert.equal(secp256k1.verify(tx.signatures[0]!, signBytes, alice.pubkey, { prehash: true, lowS: false, format: 'compact' }), true);
    assert.equal(verifySecp256k1(alice.pubkey, signBytes, tx.signatures[0]!), false);
    await rejected(raw, { check: 4, deliver: 4 });
  });

  test('signed for another chain id: code 4', async () => {
    await rejected(await send({ chainId: 'other-chain-1' }), { check: 4, deliver: 4 }, /please verify account number \(0\) and chain-id \(trucom-test-1\)/);
  });

  test('signed with a wrong account number: code 4', async () => {
    await rejected(await send({ accountNumber: 1 }), { check: 4, deliver: 4 });
    await rejected(await send({ accountNumber: 99 }), { check: 4, deliver: 4 });
  });

  test('wrong sequence: code 32 with the SDK message', async () => {
    await rejected(await send({ sequence: 5 }), { check: 32, deliver: 32 }, /^account sequence mismatch, expected 0, got 5: incorrect account sequence$/);
  });

  test('a tx replayed after it was committed: code 32', async () => {
    const raw = await send();
    assert.equal((await chain.deliver([raw])).txResults[0]!.code, 0);
    await rejected(raw, { check: 32, deliver: 32 }, /expected 1, got 0/);
  });

  test('no signature, or more signatures than signers: code 4', async () => {
    await rejected(withSignatures(await send(), () => []), { check: 4, deliver: 4 }, /wrong number of signers/);
    await rejected(withSignatures(await send(), ([sig]) => [sig!, sig!]), { check: 4, deliver: 4 });
  });

  test('an empty signature: code 4', async () => {
    await rejected(withSignatures(await send(), () => [new Uint8Array()]), { check: 4, deliver: 4 });
  });

  test('signed by a key that is not the sender’s: code 8', async () => {
    const raw = await signTx(bob, [msgSend(alice.address, bob.address, '1utru')], { ...aliceSigner });
    await rejected(raw, { check: 8, deliver: 8 }, /pubKey does not match signer address/);
  });

  test('SIGN_MODE_LEGACY_AMINO_JSON is not supported: code 37', async () => {
    await rejected(await send({ signMode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON }), { check: 37, deliver: 37 });
  });

  test('fee below the node’s minimum gas price: code 13 in CheckTx only', async () => {
    const low = await send({ fee: { amount: [{ denom: 'utru', amount: '1999' }], gas: '200000' } });
    const r = await chain.checkTx(low);
    assert.equal(r.code, 13);
    assert.match(r.log, /insufficient fees; got: 1999utru required: 2000utru/);
    assert.equal((await chain.checkTx(await send({ fee: { amount: [], gas: '200000' } }))).code, 13, 'no fee');
    assert.equal((await chain.checkTx(await send({ fee: { amount: [{ denom: 'stake', amount: '5000' }], gas: '200000' } }))).code, 13, 'wrong denom');
    // A zero gas limit runs out of gas on the tx-size charge before the fee check, as in the SDK.
    assert.equal((await chain.checkTx(await send({ fee: { amount: [{ denom: 'utru', amount: '2000' }], gas: '0' } }))).code, 11, 'zero gas');
    // The floor is node-local: in a block the same tx is valid and pays what it offered.
    const { txResults } = await chain.deliver([low]);
    assert.equal(txResults[0]!.code, 0, txResults[0]!.log);
    assert.equal(await chain.balance(FEE_COLLECTOR_ADDRESS), 1999n);
  });

  test('a node without a fee floor admits a zero-fee tx', async () => {
    const free = await TestChain.start({ balances: [{ address: alice.address, coins: '1000utru' }], minGasPrice: null });
    try {
      const raw = await signTx(alice, [msgSend(alice.address, bob.address, '1utru')], { ...(await free.signerData(alice.address)), fee: { amount: [], gas: '200000' } });
      assert.equal((await free.checkTx(raw)).code, 0);
      assert.equal((await free.deliver([raw])).txResults[0]!.code, 0);
      assert.equal(await free.balance(alice.address), 999n);
    } finally {
      await free.destroy();
    }
  });

  test('fee payer cannot pay the fee: code 5 in CheckTx and in the block, nothing changes', async () => {
    const raw = await signTx(dave, [msgSend(dave.address, bob.address, '1utru')], { ...(await chain.signerData(dave.address)) });
    await rejected(raw, { check: 5, deliver: 5 }, /insufficient funds/);
    assert.equal(await chain.balance(dave.address), 100n);
  });

  test('insufficient funds for the message: admitted by CheckTx, code 5 in the block, fee paid and sequence bumped', async () => {
    const tooMuch = await send({}, '1000000000utru');
    assert.equal((await chain.checkTx(tooMuch)).code, 0, 'CheckTx does not run messages');
    const { txResults } = await chain.deliver([tooMuch]);
    assert.equal(txResults[0]!.code, 5);
    assert.match(txResults[0]!.log, /spendable balance 999998000utru is smaller than 1000000000utru: insufficient funds/);
    assert.equal(await chain.balance(alice.address), 1_000_000_000n - 2000n);
    assert.equal(await chain.balance(FEE_COLLECTOR_ADDRESS), 2000n);
    assert.equal(await chain.balance(bob.address), 1_000_000n);
    assert.equal((await chain.account(alice.address))?.sequence, 1n);
    assert.ok(txResults[0]!.events.length > 0 && txResults[0]!.events.every((e) => e.attributes.every((a) => a.key !== 'msg_index')), 'only the ante events');
    // The very same bytes are now a replay.
    assert.equal((await chain.checkTx(tooMuch)).code, 32);
  });

  test('unknown message type: code 6', async () => {
    const registry = defaultRegistry();
    registry.register('/trucom.nothing.v1.MsgNothing', MsgSend);
    const raw = await signTx(alice, [{ typeUrl: '/trucom.nothing.v1.MsgNothing', value: MsgSend.fromPartial({ fromAddress: alice.address }) }], { ...aliceSigner, registry });
    await rejected(raw, { check: 6, deliver: 6 }, /unrecognized message type "\/trucom.nothing.v1.MsgNothing"/);
  });

  test('oversized tx: code 21', async () => {
    const big = await send({ memo: 'x'.repeat(MAX_TX_BYTES) });
    assert.ok(big.length > MAX_TX_BYTES);
    await rejected(big, { check: 21, deliver: 21 }, /tx too large/);
    await rejected(new Uint8Array(MAX_TX_BYTES + 1), { check: 21, deliver: 21 });
  });

  test('memo over 256 characters: code 12', async () => {
    assert.equal((await chain.checkTx(await send({ memo: 'é'.repeat(256) }))).code, 0, '256 characters (512 bytes) is fine');
    await rejected(await send({ memo: 'm'.repeat(257) }), { check: 12, deliver: 12 });
  });

  test('past its timeout height: code 30', async () => {
    await chain.deliver([]);
    await rejected(await send({ timeoutHeight: 1n }), { check: 30, deliver: 30 });
  });

  test('gas limit too low for the tx size: code 11', async () => {
    await rejected(await send({ fee: { amount: [{ denom: 'utru', amount: '10' }], gas: '1000' } }), { check: 11, deliver: 11 }, /out of gas/);
  });

  test('invalid message fields: bad address (7), empty or unsorted amount (10)', async () => {
    await rejected(await signTx(alice, [msgSend(alice.address, 'tru1notanaddress', '1utru')], { ...aliceSigner }), { check: 7, deliver: 7 });
    await rejected(await signTx(alice, [msgSend(alice.address, bob.address, [])], { ...aliceSigner }), { check: 10, deliver: 10 });
    await rejected(
      await signTx(alice, [msgSend(alice.address, bob.address, [{ denom: 'utru', amount: '1' }, { denom: 'stake', amount: '1' }])], { ...aliceSigner }),
      { check: 10, deliver: 10 },
    );
    await rejected(await signTx(alice, [msgSend(alice.address, bob.address, [{ denom: 'utru', amount: '0' }])], { ...aliceSigner }), { check: 10, deliver: 10 });
  });

  test('a sender that has no account yet: code 9', async () => {
    const raw = await signTx(carol, [msgSend(carol.address, bob.address, '1utru')], { ...aliceSigner, accountNumber: 0 });
    await rejected(raw, { check: 9, deliver: 9 });
  });
});
