import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hkdfSync, randomBytes } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { cryptoBoxSeal, cryptoBoxSealOpen, generateX25519Key, isValidX25519PublicKey, KEY_HOLDER_INFO, keyHolderKey, SEALED_BOX_OVERHEAD } from './sealed-box.js';
import { accountKeyFromMnemonic } from './mnemonic.js';
import { VECTOR } from './testing/cosmjs-msgsend-vector.js';

await sodium.ready;

describe('sealed boxes (libsodium crypto_box_seal)', () => {
  test('what we seal, libsodium opens; what libsodium seals, we open', () => {
    for (const size of [0, 1, 16, 1000]) {
      const message = new Uint8Array(randomBytes(size));
      const theirs = sodium.crypto_box_keypair();
      const sealed = cryptoBoxSeal(message, theirs.publicKey);
      assert.equal(sealed.length, size + SEALED_BOX_OVERHEAD);
      assert.deepEqual(sodium.crypto_box_seal_open(sealed, theirs.publicKey, theirs.privateKey), message);

      const ours = generateX25519Key();
      assert.deepEqual(cryptoBoxSealOpen(sodium.crypto_box_seal(message, ours.publicKey), ours), message);
    }
  });

  test('our keys are libsodium keys: the same public key from the same secret', () => {
    const k = generateX25519Key();
    assert.deepEqual(sodium.crypto_scalarmult_base(k.secretKey), k.publicKey);
  });

  test('every box is fresh: two seals of one message differ', () => {
    const k = generateX25519Key();
    const m = new Uint8Array(16).fill(9);
    assert.notDeepEqual(cryptoBoxSeal(m, k.publicKey), cryptoBoxSeal(m, k.publicKey));
  });

  test('another key, a flipped bit or a truncated box does not open', () => {
    const k = generateX25519Key();
    const sealed = cryptoBoxSeal(new Uint8Array(16).fill(1), k.publicKey);
    assert.throws(() => cryptoBoxSealOpen(sealed, generateX25519Key()), /authentication failed/);
    for (const at of [0, 33, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[at]! ^= 1;
      assert.throws(() => cryptoBoxSealOpen(bad, k), /sealed box/);
    }
    assert.throws(() => cryptoBoxSealOpen(sealed.subarray(0, 47), k), /shorter/);
  });

  test('refuses to seal to a malformed or low-order public key', () => {
    assert.equal(isValidX25519PublicKey(new Uint8Array(31)), false);
    assert.equal(isValidX25519PublicKey(new Uint8Array(32)), false, 'the zero point');
    assert.equal(isValidX25519PublicKey(Uint8Array.of(1, ...new Uint8Array(31))), false, 'order 1');
    assert.equal(isValidX25519PublicKey(generateX25519Key().publicKey), true);
    assert.throws(() => cryptoBoxSeal(new Uint8Array(16), new Uint8Array(32)), /not a valid X25519 key/);
  });
});

describe('keyHolderKey: a gateway\'s X25519 key from its provider account key', () => {
  test('HKDF-SHA256(account key, info "trucom/key-holder/x25519/v1"), deterministic and per account', async () => {
    const account = await accountKeyFromMnemonic(VECTOR.mnemonic);
    const k = keyHolderKey(account.privateKey);
    assert.equal(KEY_HOLDER_INFO, 'trucom/key-holder/x25519/v1');
    assert.deepEqual(k.secretKey, new Uint8Array(hkdfSync('sha256', account.privateKey, new Uint8Array(), KEY_HOLDER_INFO, 32)));
    assert.deepEqual(keyHolderKey(account.privateKey), k);
    assert.deepEqual(sodium.crypto_scalarmult_base(k.secretKey), k.publicKey);
    const other = await accountKeyFromMnemonic('abandon '.repeat(23) + 'art');
    assert.notDeepEqual(keyHolderKey(other.privateKey).publicKey, k.publicKey);
    const key = new Uint8Array(16).fill(0xab);
    assert.deepEqual(sodium.crypto_box_seal_open(cryptoBoxSeal(key, k.publicKey), k.publicKey, k.secretKey), key);
    assert.throws(() => keyHolderKey(new Uint8Array(33)), /32 bytes/);
  });
});
