import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Bip39, EnglishMnemonic } from '@cosmjs/crypto';
import { COSMOS_HD_PATH, accountKeyFromMnemonic, generateMnemonic, normalizeMnemonic } from './mnemonic.js';
import { accountAddress } from './address.js';
import { secp256k1PublicKey, signSecp256k1 } from './secp256k1.js';
import { fromHex, toHex } from './bytes.js';
import { VECTOR } from './testing/cosmjs-msgsend-vector.js';

describe('mnemonic → account key (BIP39 + SLIP-10, Cosmos HD path)', () => {
  test('the default HD path is the Cosmos one', () => {
    assert.equal(COSMOS_HD_PATH, "m/44'/118'/0'/0/0");
    assert.equal(COSMOS_HD_PATH, VECTOR.hdPath);
  });

  test('derives the cosmjs vector key, address and signature', async () => {
    const key = await accountKeyFromMnemonic(VECTOR.mnemonic);
    assert.equal(toHex(key.publicKey), VECTOR.pubkeyCompressedHex);
    assert.equal(key.publicKey.length, 33);
    assert.equal(key.privateKey.length, 32);
    assert.equal(toHex(key.privateKey), '1bdd5c2105f62c51d72c90d9e5ca6854a94337bcbcbb0b959846b85813d69380');
    assert.deepEqual(secp256k1PublicKey(key.privateKey), key.publicKey);
    assert.equal(key.address, VECTOR.truAddress);
    assert.equal(accountAddress(key.publicKey, 'cosmos'), VECTOR.address);
    assert.equal(toHex(signSecp256k1(key.privateKey, fromHex(VECTOR.signDocBytesHex))), VECTOR.signatureHex);
  });

  test('tolerates extra whitespace and upper case in the phrase', async () => {
    const messy = `  ${VECTOR.mnemonic.toUpperCase().split(' ').join('   \n ')}\t`;
    assert.equal(normalizeMnemonic(messy), VECTOR.mnemonic);
    const key = await accountKeyFromMnemonic(messy);
    assert.equal(key.address, VECTOR.truAddress);
  });

  test('another HD path gives another key', async () => {
    const key = await accountKeyFromMnemonic(VECTOR.mnemonic, "m/44'/118'/0'/0/1");
    assert.notEqual(toHex(key.publicKey), VECTOR.pubkeyCompressedHex);
    assert.notEqual(key.address, VECTOR.truAddress);
  });

  test('rejects a wrong checksum, an unknown word and a wrong word count', async () => {
    const words = VECTOR.mnemonic.split(' ');
    const wrongChecksum = [...words.slice(0, 11), words[11] === 'park' ? 'abandon' : 'park'].join(' ');
    assert.throws(() => normalizeMnemonic(wrongChecksum));
    assert.throws(() => normalizeMnemonic([...words.slice(0, 11), 'notaword'].join(' ')));
    assert.throws(() => normalizeMnemonic(words.slice(0, 11).join(' ')));
    await assert.rejects(accountKeyFromMnemonic(wrongChecksum));
  });

  test('generates valid 12- and 24-word phrases, 24 by default', () => {
    for (const [phrase, count] of [[generateMnemonic(), 24], [generateMnemonic(24), 24], [generateMnemonic(12), 12]] as const) {
      assert.equal(phrase.split(' ').length, count);
      assert.equal(normalizeMnemonic(phrase), phrase);
      assert.doesNotThrow(() => new EnglishMnemonic(phrase));
    }
  });

  test('known BIP39 entropy ↔ phrase', () => {
    assert.equal(
      Bip39.encode(new Uint8Array(16)).toString(),
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    );
    assert.equal(normalizeMnemonic('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'),
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about');
  });
});
