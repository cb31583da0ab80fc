import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateEd25519Key, signEd25519, validatorAddress, verifyEd25519 } from './ed25519.js';
import { fromHex, toHex, utf8 } from './bytes.js';
import { sha256 } from './hash.js';

// RFC 8032 section 7.1, TEST 1 and TEST 2.
const RFC1 = {
  secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  message: '',
  signature:
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};
const RFC2 = {
  secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
  public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
  message: '72',
  signature:
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
};

describe('ed25519 (consensus keys)', () => {
  for (const [name, v] of [['RFC 8032 test 1', RFC1], ['RFC 8032 test 2', RFC2]] as const) {
    test(`${name}: key, signature and verification`, () => {
      const key = generateEd25519Key(fromHex(v.secret));
      assert.equal(toHex(key.privateKey), v.secret);
      assert.equal(toHex(key.publicKey), v.public);
      const sig = signEd25519(key.privateKey, fromHex(v.message));
      assert.equal(toHex(sig), v.signature);
      assert.equal(verifyEd25519(key.publicKey, fromHex(v.message), sig), true);
    });
  }

  test('a signature verified once still vouches only for its own key and message', () => {
    const key = generateEd25519Key(fromHex(RFC2.secret));
    const other = generateEd25519Key(fromHex(RFC1.secret));
    const sig = signEd25519(key.privateKey, utf8('vote'));
    assert.equal(verifyEd25519(key.publicKey, utf8('vote'), sig), true);
    assert.equal(verifyEd25519(key.publicKey, utf8('vote'), sig), true, 'again, from memory');
    assert.equal(verifyEd25519(key.publicKey, utf8('votf'), sig), false);
    assert.equal(verifyEd25519(other.publicKey, utf8('vote'), sig), false);
  });

  test('the seed is copied, not aliased', () => {
    const seed = fromHex(RFC1.secret);
    const key = generateEd25519Key(seed);
    seed.fill(0);
    assert.equal(toHex(key.privateKey), RFC1.secret);
  });

  test('a generated key signs and verifies', () => {
    const key = generateEd25519Key();
    assert.equal(key.privateKey.length, 32);
    assert.equal(key.publicKey.length, 32);
    const msg = utf8('vote');
    assert.equal(verifyEd25519(key.publicKey, msg, signEd25519(key.privateKey, msg)), true);
  });

  test('rejects a tampered message, signature or key', () => {
    const key = generateEd25519Key(fromHex(RFC2.secret));
    const msg = fromHex(RFC2.message);
    const sig = fromHex(RFC2.signature);
    assert.equal(verifyEd25519(key.publicKey, Uint8Array.of(0x73), sig), false);
    const badSig = sig.slice();
    badSig[10] = badSig[10]! ^ 1;
    assert.equal(verifyEd25519(key.publicKey, msg, badSig), false);
    assert.equal(verifyEd25519(fromHex(RFC1.public), msg, sig), false);
  });

  test('malformed key or signature lengths, or a non-point key, fail without throwing', () => {
    const key = generateEd25519Key(fromHex(RFC1.secret));
    const sig = fromHex(RFC1.signature);
    assert.equal(verifyEd25519(key.publicKey.subarray(0, 31), new Uint8Array(), sig), false);
    assert.equal(verifyEd25519(key.publicKey, new Uint8Array(), sig.subarray(0, 63)), false);
    assert.equal(verifyEd25519(key.publicKey, new Uint8Array(), Uint8Array.of(...sig, 0)), false);
    assert.equal(verifyEd25519(new Uint8Array(32).fill(0xff), new Uint8Array(), sig), false);
    assert.equal(verifyEd25519(key.publicKey, new Uint8Array(), new Uint8Array(64).fill(0xff)), false);
  });

  test('validator address is the first 20 bytes of SHA-256(pubkey), as in CometBFT', () => {
    const pub = fromHex(RFC1.public);
    const addr = validatorAddress(pub);
    assert.equal(addr.length, 20);
    assert.deepEqual(addr, sha256(pub).subarray(0, 20));
  });
});
