import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ripemd160, sha256 } from './hash.js';
import { fromHex, toHex, toUpperHex, utf8 } from './bytes.js';
import { VECTOR } from './testing/cosmjs-msgsend-vector.js';

describe('sha256', () => {
  test('matches the FIPS 180-2 vectors', () => {
    assert.equal(toHex(sha256()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(toHex(sha256(new Uint8Array())), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(toHex(sha256(utf8('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(
      toHex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  test('hashes several parts as their concatenation', () => {
    assert.deepEqual(sha256(utf8('a'), utf8('b'), new Uint8Array(), utf8('c')), sha256(utf8('abc')));
  });

  test('returns 32 independent bytes each call', () => {
    const a = sha256(utf8('x'));
    const b = sha256(utf8('x'));
    assert.equal(a.length, 32);
    assert.equal(a.byteLength, 32);
    assert.deepEqual(a, b);
    a[0] = a[0]! ^ 0xff;
    assert.notDeepEqual(a, b);
    assert.deepEqual(b, sha256(utf8('x')));
  });

  test('hashes only the viewed bytes of a subarray', () => {
    const backing = utf8('..abc..');
    assert.deepEqual(sha256(backing.subarray(2, 5)), sha256(utf8('abc')));
  });

  test('gives the cosmjs sign-doc digest and the CometBFT tx hash of the vector', () => {
    assert.equal(toHex(sha256(fromHex(VECTOR.signDocBytesHex))), VECTOR.sha256SignDocHex);
    assert.equal(toUpperHex(sha256(fromHex(VECTOR.txRawHex))), VECTOR.txHash);
  });
});

describe('ripemd160', () => {
  test('matches the reference vectors', () => {
    assert.equal(toHex(ripemd160(new Uint8Array())), '9c1185a5c5e9fc54612808977ee8f548b2258d31');
    assert.equal(toHex(ripemd160(utf8('abc'))), '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc');
    assert.equal(toHex(ripemd160(utf8('message digest'))), '5d0689ef49d2fae572b881b123a85ffa21595f36');
  });
});
