import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { fromBase64, fromHex, sha256, toHex, verifySecp256k1 } from '@trucom/crypto';
import { decodeTx, directSignBytes, directSignBytesReference } from './decode.js';
import { ChainError, ErrTxDecode } from '../errors.js';

// From the signed cosmjs 0.39 test vector (reference/cosmjs-msgsend-vector.json).
const V = {
  txRawB64:
    'CpcBCo0BChwvY29zbW9zLmJhbmsudjFiZXRhMS5Nc2dTZW5kEm0KLWNvc21vczE0cWVtcTB2dzZ5M2djM3UzZTBhdHkyZTc2NHU0Z3M1bGUzaGFkYRItY29zbW9zMXF5cHF4cHE5cWNyc3N6ZzJwdnhxNnJzMHpxZzN5eWM1bHp2N3h1Gg0KBXVjb3NtEgQxMjM0EgVoZWxsbxJnClAKRgofL2Nvc21vcy5jcnlwdG8uc2VjcDI1NmsxLlB1YktleRIjCiED1xeFZvxmmoLOQDx1AI9Xb0p15EtXetRjGuQe50ttC1ISBAoCCAEYAxITCg0KBXVjb3NtEgQ1MDAwEMCaDBpAb2IRWo60Sp3RtTMNfchV0sQZ9/IdzblUz4dCszK9xoh4rnwW0ls6jJMBjer5kkkOdUoB7dog4czb2FsauYIbGw==',
  txHash: '85135DBC7F8042E9C751A1184ED77B7CAB424696B02CC78FD7EC2B9B1BA8F87D',
  bodyBytesHex:
    '0a8d010a1c2f636f736d6f732e62616e6b2e763162657461312e4d736753656e64126d0a2d636f736d6f73313471656d7130767736793367633375336530617479326537363475346773356c653368616461122d636f736d6f7331717970717870713971637273737a673270767871367273307a716733797963356c7a763778751a0d0a0575636f736d120431323334120568656c6c6f',
  authInfoBytesHex:
    '0a500a460a1f2f636f736d6f732e63727970746f2e736563703235366b312e5075624b657912230a2103d7178566fc669a82ce403c75008f576f4a75e44b577ad4631ae41ee74b6d0b5212040a020801180312130a0d0a0575636f736d12043530303010c09a0c',
  signDocBytesHex:
    '0a97010a8d010a1c2f636f736d6f732e62616e6b2e763162657461312e4d736753656e64126d0a2d636f736d6f73313471656d7130767736793367633375336530617479326537363475346773356c653368616461122d636f736d6f7331717970717870713971637273737a673270767871367273307a716733797963356c7a763778751a0d0a0575636f736d120431323334120568656c6c6f12670a500a460a1f2f636f736d6f732e63727970746f2e736563703235366b312e5075624b657912230a2103d7178566fc669a82ce403c75008f576f4a75e44b577ad4631ae41ee74b6d0b5212040a020801180312130a0d0a0575636f736d12043530303010c09a0c1a0b74657374636861696e2d312007',
  signatureHex:
    '6f62115a8eb44a9dd1b5330d7dc855d2c419f7f21dcdb954cf8742b332bdc68878ae7c16d25b3a8c93018deaf992490e754a01edda20e1ccdbd85b1ab9821b1b',
  pubkeyHex: '03d7178566fc669a82ce403c75008f576f4a75e44b577ad4631ae41ee74b6d0b52',
  from: 'cosmos14qemq0vw6y3gc3u3e0aty2e764u4gs5le3hada',
  to: 'cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu',
};

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
