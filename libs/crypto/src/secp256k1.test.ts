import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { isLowS, secp256k1PublicKey, signSecp256k1, verifySecp256k1 } from './secp256k1.js';
import { fromHex, toHex, utf8 } from './bytes.js';
import { sha256 } from './hash.js';
import { VECTOR } from './testing/cosmjs-msgsend-vector.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = N >> 1n;
/** Private key of the vector's mnemonic at m/44'/118'/0'/0/0 (derivation checked in mnemonic.test.ts). */
const PRIVKEY = fromHex('1bdd5c2105f62c51d72c90d9e5ca6854a94337bcbcbb0b959846b85813d69380');
const PUBKEY = fromHex(VECTOR.pubkeyCompressedHex);
const SIGN_DOC = fromHex(VECTOR.signDocBytesHex);
const SIGNATURE = fromHex(VECTOR.signatureHex);

function scalar(n: bigint): Uint8Array {
  return fromHex(n.toString(16).padStart(64, '0'));
}

function withS(signature: Uint8Array, s: bigint): Uint8Array {
  const out = new Uint8Array(64);
  out.set(signature.subarray(0, 32), 0);
  out.set(scalar(s), 32);
  return out;
}

function sOf(signature: Uint8Array): bigint {
  return BigInt('0x' + toHex(signature.subarray(32)));
}

describe('secp256k1 against the cosmjs vector', () => {
  test('derives the compressed public key from the private key', () => {
    assert.equal(toHex(secp256k1PublicKey(PRIVKEY)), VECTOR.pubkeyCompressedHex);
  });

  test('verifies the cosmjs signature over the sign-doc bytes (SHA-256 applied inside)', () => {
    assert.equal(verifySecp256k1(PUBKEY, SIGN_DOC, SIGNATURE), true);
  });

  test('signs exactly like cosmjs: RFC 6979, low-S, 64 bytes r||s', () => {
    const sig = signSecp256k1(PRIVKEY, SIGN_DOC);
    assert.equal(sig.length, 64);
    assert.equal(toHex(sig), VECTOR.signatureHex);
  });

  test('rejects the signature over any other message', () => {
    const tampered = SIGN_DOC.slice();
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1; // account number 7 → 6
    assert.equal(verifySecp256k1(PUBKEY, tampered, SIGNATURE), false);
    assert.equal(verifySecp256k1(PUBKEY, sha256(SIGN_DOC), SIGNATURE), false, 'the message is hashed once, not twice');
  });

  test('rejects a tampered r or s', () => {
    for (const index of [0, 31, 32, 63]) {
      const sig = SIGNATURE.slice();
      sig[index] = sig[index]! ^ 0x01;
      assert.equal(verifySecp256k1(PUBKEY, SIGN_DOC, sig), false, `byte ${index}`);
    }
  });

  test('rejects the signature under another key', () => {
    const other = secp256k1PublicKey(sha256(utf8('another key')));
    assert.equal(verifySecp256k1(other, SIGN_DOC, SIGNATURE), false);
  });
});

describe('low-S rule', () => {
  test('the vector signature is low-S', () => {
    assert.equal(isLowS(SIGNATURE), true);
  });

  test('the high-S twin (n - s) is a mathematically valid signature but is rejected', () => {
    const high = withS(SIGNATURE, N - sOf(SIGNATURE));
    assert.equal(isLowS(high), false);
    // The curve itself accepts it (ECDSA malleability)…
    assert.equal(secp256k1.verify(high, SIGN_DOC, PUBKEY, { prehash: true, lowS: false, format: 'compact' }), true);
    // …but Cosmos (and we) accept only the low-S form.
    assert.equal(verifySecp256k1(PUBKEY, SIGN_DOC, high), false);
  });

  test('boundaries: 0 and values above n/2 are not low, 1 and n/2 are', () => {
    assert.equal(isLowS(withS(SIGNATURE, 0n)), false);
    assert.equal(isLowS(withS(SIGNATURE, 1n)), true);
    assert.equal(isLowS(withS(SIGNATURE, HALF_N)), true);
    assert.equal(isLowS(withS(SIGNATURE, HALF_N + 1n)), false);
    assert.equal(isLowS(withS(SIGNATURE, N - 1n)), false);
  });

  test('every signature we produce is low-S and verifies, and agrees with noble', () => {
    for (let i = 0; i < 40; i++) {
      const priv = sha256(utf8(`key ${i}`));
      const pub = secp256k1PublicKey(priv);
      const msg = utf8(`message ${i}`);
      const sig = signSecp256k1(priv, msg);
      assert.equal(isLowS(sig), true, `signature ${i}`);
      assert.equal(verifySecp256k1(pub, msg, sig), true, `signature ${i}`);
      assert.equal(secp256k1.verify(sig, msg, pub, { prehash: true, format: 'compact' }), true);
      assert.equal(verifySecp256k1(pub, utf8(`message ${i + 1}`), sig), false);
    }
  });
});

describe('malformed input never throws, only fails', () => {
  test('public keys of the wrong size or prefix', () => {
    const uncompressed = secp256k1.getPublicKey(PRIVKEY, false);
    assert.equal(uncompressed.length, 65);
    assert.equal(verifySecp256k1(uncompressed, SIGN_DOC, SIGNATURE), false);
    assert.equal(verifySecp256k1(PUBKEY.subarray(0, 32), SIGN_DOC, SIGNATURE), false);
    assert.equal(verifySecp256k1(new Uint8Array(), SIGN_DOC, SIGNATURE), false);
    const badPrefix = PUBKEY.slice();
    badPrefix[0] = 0x04;
    assert.equal(verifySecp256k1(badPrefix, SIGN_DOC, SIGNATURE), false);
  });

  test('a compressed key whose x is not on the curve', () => {
    const offCurve = new Uint8Array(33).fill(0xff);
    offCurve[0] = 0x02;
    assert.equal(verifySecp256k1(offCurve, SIGN_DOC, SIGNATURE), false);
  });

  test('the other parity of the right x is another key', () => {
    const flipped = PUBKEY.slice();
    flipped[0] = flipped[0] === 2 ? 3 : 2;
    assert.equal(verifySecp256k1(flipped, SIGN_DOC, SIGNATURE), false);
  });

  test('signatures that are not exactly 64 bytes (DER, with recovery byte, truncated)', () => {
    const der = secp256k1.Signature.fromBytes(SIGNATURE, 'compact').toBytes('der');
    assert.equal(verifySecp256k1(PUBKEY, SIGN_DOC, der), false);
    assert.equal(verifySecp256k1(PUBKEY, SIGN_DOC, Uint8Array.of(...SIGNATURE, 0)), false);
    assert.equal(verifySecp256k1(PUBKEY, SIGN_DOC, SIGNATURE.subarray(0, 63)), false);
    assert.equal(verifySecp256k1(PUBKEY, SIGN_DOC, new Uint8Array()), false);
  });

  test('r = 0, r >= n and an all-zero signature', () => {
    const zeroR = SIGNATURE.slice();
    zeroR.fill(0, 0, 32);
    assert.equal(verifySecp256k1(PUBKEY, SIGN_DOC, zeroR), false);
    const bigR = SIGNATURE.slice();
    bigR.set(scalar(N), 0);
    assert.equal(verifySecp256k1(PUBKEY, SIGN_DOC, bigR), false);
    assert.equal(verifySecp256k1(PUBKEY, SIGN_DOC, new Uint8Array(64)), false);
  });
});
