import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { fromBase64, fromHex, sha256, toHex, verifySecp256k1 } from '@trucom/crypto';
import { VECTOR } from '@trucom/crypto/testing';
import { decodeTx, directSignBytes, directSignBytesReference } from './decode.js';
import { ChainError, ErrTxDecode } from '../errors.js';

// The signed cosmjs 0.39 test vector (reference/cosmjs-msgsend-vector.json).
const V = { ...VECTOR, pubkeyHex: VECTOR.pubkeyCompressedHex, from: VECTOR.address, to: VECTOR.toAddress };

const txDecodeError = (err: unknown) => {
  assert.ok(err instanceof ChainError);
  assert.ok(ErrTxDecode.is(err));
  assert.equal((err as ChainError).code, 2);
  return true;
};

describe('decodeTx on the cosmjs vector', () => {
  const raw = fromBase64(V.txRawB64);

  test('hash is upper-hex SHA-256 of the exact received bytes', () => {
    const tx = decodeTx(raw);
    assert.equal(tx.hashHex, V.txHash);
    assert.deepEqual(tx.hash, sha256(raw));
    assert.equal(tx.raw, raw);
  });

  test('keeps body and auth-info bytes exactly as received', () => {
    const tx = decodeTx(raw);
    assert.equal(toHex(tx.bodyBytes), V.bodyBytesHex);
    assert.equal(toHex(tx.authInfoBytes), V.authInfoBytesHex);
    assert.equal(tx.signatures.length, 1);
    assert.equal(toHex(tx.signatures[0]!), V.signatureHex);
  });

  test('decodes the body, the message and the signer info', () => {
    const tx = decodeTx(raw);
    assert.equal(tx.body.memo, 'hello');
    assert.equal(tx.messages.length, 1);
    assert.equal(tx.messages[0]!.typeUrl, '/cosmos.bank.v1beta1.MsgSend');
    const msg = MsgSend.decode(tx.messages[0]!.value);
    assert.deepEqual(msg, { fromAddress: V.from, toAddress: V.to, amount: [{ denom: 'ucosm', amount: '1234' }] });
    const info = tx.authInfo.signerInfos[0]!;
    assert.equal(info.sequence, 3n);
    assert.equal(info.modeInfo?.single?.mode, SignMode.SIGN_MODE_DIRECT);
    assert.equal(toHex(PubKey.decode(info.publicKey!.value).key), V.pubkeyHex);
    assert.equal(tx.authInfo.fee?.gasLimit, 200000n);
    assert.deepEqual(tx.authInfo.fee?.amount, [{ denom: 'ucosm', amount: '5000' }]);
  });

  test('directSignBytes rebuilds the SignDoc cosmjs signed (chain id and account number bound)', () => {
    const tx = decodeTx(raw);
    const signBytes = directSignBytes(tx, 'testchain-1', 7n);
    assert.equal(toHex(signBytes), V.signDocBytesHex);
    assert.equal(verifySecp256k1(fromHex(V.pubkeyHex), signBytes, tx.signatures[0]!), true);
    assert.equal(verifySecp256k1(fromHex(V.pubkeyHex), directSignBytes(tx, 'testchain-2', 7n), tx.signatures[0]!), false);
    assert.equal(verifySecp256k1(fromHex(V.pubkeyHex), directSignBytes(tx, 'testchain-1', 8n), tx.signatures[0]!), false);
    assert.equal(toHex(directSignBytes(tx, 'testchain-1', 7n)), V.signDocBytesHex, 'the remembered encoding follows the arguments');
  });

  test('account number 0 is omitted from the SignDoc, as cosmjs does', () => {
    const tx = decodeTx(raw);
    const withZero = directSignBytes(tx, 'c', 0n);
    const withOne = directSignBytes(tx, 'c', 1n);
    assert.equal(withOne.length, withZero.length + 2);
  });

  test('directSignBytes equals the cosmjs-types SignDoc encoding for every field shape', () => {
    const tx = decodeTx(raw);
    const bodies = [tx, { bodyBytes: new Uint8Array(), authInfoBytes: tx.authInfoBytes }, { bodyBytes: new Uint8Array(100_000).fill(7), authInfoBytes: new Uint8Array() }];
    const chainIds = ['testchain-1', '', 'c', 'é-chain', 'x'.repeat(300)];
    const numbers = [0n, 1n, 7n, 127n, 128n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 64n - 1n];
    for (const body of bodies) {
      for (const chainId of chainIds) {
        for (const n of numbers) {
          assert.equal(toHex(directSignBytes(body, chainId, n)), toHex(directSignBytesReference(body, chainId, n)), `${chainId} / ${n}`);
        }
      }
    }
  });

  test('the hash is of the received bytes, not a re-encoding', () => {
    // Unknown field 99 (varint) appended: protobuf decoders skip it, the hash must still cover it.
    const padded = Uint8Array.of(...raw, 0x98, 0x06, 0x01);
    const tx = decodeTx(padded);
    assert.notEqual(tx.hashHex, V.txHash);
    assert.deepEqual(tx.hash, sha256(padded));
    assert.equal(toHex(tx.bodyBytes), V.bodyBytesHex);
  });
});

describe('decodeTx rejects what is not a tx with code 2', () => {
  test('truncated or garbage bytes', () => {
    const raw = fromBase64(V.txRawB64);
    assert.throws(() => decodeTx(raw.subarray(0, raw.length - 10)), txDecodeError);
    assert.throws(() => decodeTx(Uint8Array.of(0x0a, 0x05, 0x01)), txDecodeError);
    assert.throws(() => decodeTx(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)), txDecodeError);
  });

  test('empty bytes (no body)', () => {
    assert.throws(() => decodeTx(new Uint8Array()), txDecodeError);
  });

  test('a body without messages', () => {
    const bodyBytes = TxBody.encode(TxBody.fromPartial({ memo: 'nothing' })).finish();
    const authInfoBytes = AuthInfo.encode(AuthInfo.fromPartial({})).finish();
    const raw = TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [] }).finish();
    assert.throws(() => decodeTx(raw), (err) => txDecodeError(err) && /no messages/.test((err as Error).message));
  });

  test('body bytes that are not a TxBody', () => {
    const raw = TxRaw.encode({ bodyBytes: Uint8Array.of(0x0a, 0x09, 0x00), authInfoBytes: new Uint8Array(), signatures: [] }).finish();
    assert.throws(() => decodeTx(raw), txDecodeError);
  });
});
