import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toBech32 } from '@cosmjs/encoding';
import { ACCOUNT_PREFIX, VALOPER_PREFIX, accountAddress, decodeAddress, isValidAddress, moduleAddress, reprefix } from './address.js';
import { fromHex, toHex, utf8 } from './bytes.js';
import { ripemd160, sha256 } from './hash.js';
import { VECTOR } from './testing/cosmjs-msgsend-vector.js';

const PUBKEY = fromHex(VECTOR.pubkeyCompressedHex);

describe('account addresses', () => {
  test('bech32(ripemd160(sha256(pubkey))) gives the cosmjs address of the vector', () => {
    assert.equal(accountAddress(PUBKEY, 'cosmos'), VECTOR.address);
  });

  test('uses the tru prefix by default', () => {
    assert.equal(ACCOUNT_PREFIX, 'tru');
    assert.equal(accountAddress(PUBKEY), VECTOR.truAddress);
    assert.equal(toBech32('tru', ripemd160(sha256(PUBKEY))), VECTOR.truAddress);
  });

  test('decodeAddress returns the 20 bytes and checks the prefix', () => {
    const raw = decodeAddress(VECTOR.truAddress);
    assert.equal(raw.length, 20);
    assert.deepEqual(raw, ripemd160(sha256(PUBKEY)));
    assert.deepEqual(decodeAddress(VECTOR.address, 'cosmos'), raw);
    assert.throws(() => decodeAddress(VECTOR.address), /expected prefix tru, got cosmos/);
  });

  test('decodeAddress accepts 32-byte addresses and rejects other lengths', () => {
    const long = toBech32('tru', new Uint8Array(32).fill(7));
    assert.equal(decodeAddress(long).length, 32);
    assert.throws(() => decodeAddress(toBech32('tru', new Uint8Array(19))), /bad length 19/);
    assert.throws(() => decodeAddress(toBech32('tru', new Uint8Array(21))), /bad length 21/);
  });

  test('decodeAddress rejects garbage, bad checksums and mixed case', () => {
    assert.throws(() => decodeAddress(''), /invalid address/);
    assert.throws(() => decodeAddress('tru'), /invalid address/);
    assert.throws(() => decodeAddress('not an address'), /invalid address/);
    const last = VECTOR.truAddress.at(-1) === 'q' ? 'p' : 'q';
    assert.throws(() => decodeAddress(VECTOR.truAddress.slice(0, -1) + last), /invalid address/);
    const mixed = 'TRU' + VECTOR.truAddress.slice(3);
    assert.throws(() => decodeAddress(mixed), /invalid address/);
  });

  test('isValidAddress mirrors decodeAddress', () => {
    assert.equal(isValidAddress(VECTOR.truAddress), true);
    assert.equal(isValidAddress(VECTOR.address), false);
    assert.equal(isValidAddress(VECTOR.address, 'cosmos'), true);
    assert.equal(isValidAddress('tru1xyz'), false);
    assert.equal(isValidAddress(''), false);
  });

  test('reprefix keeps the bytes and changes the human-readable part', () => {
    assert.equal(reprefix(VECTOR.address, 'tru'), VECTOR.truAddress);
    assert.equal(reprefix(VECTOR.truAddress, 'cosmos'), VECTOR.address);
    const valoper = reprefix(VECTOR.truAddress, VALOPER_PREFIX);
    assert.ok(valoper.startsWith('truvaloper1'));
    assert.deepEqual(decodeAddress(valoper, VALOPER_PREFIX), decodeAddress(VECTOR.truAddress));
    assert.throws(() => reprefix('garbage', 'tru'));
  });
});

describe('module addresses', () => {
  test('are sha256(name)[:20], the same as the Cosmos SDK (cosmos hub values)', () => {
    assert.equal(moduleAddress('fee_collector', 'cosmos'), 'cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta');
    assert.equal(moduleAddress('distribution', 'cosmos'), 'cosmos1jv65s3grqf6v6jl3dp4t6c9t9rk99cd88lyufl');
    assert.equal(moduleAddress('bonded_tokens_pool', 'cosmos'), 'cosmos1fl48vsnmsdzcv85q5d2q4z5ajdha8yu34mf0eh');
  });

  test('default to the tru prefix and are valid account addresses', () => {
    const a = moduleAddress('fee_collector');
    assert.ok(a.startsWith('tru1'));
    assert.equal(isValidAddress(a), true);
    assert.equal(toHex(decodeAddress(a)), toHex(sha256(utf8('fee_collector')).subarray(0, 20)));
    assert.notEqual(moduleAddress('bank'), moduleAddress('auth'));
  });
});
