import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesEqual, compareBytes, concatBytes, fromBase64, fromHex, toBase64, toHex, toUpperHex, utf8 } from './bytes.js';

describe('hex', () => {
  test('round-trips bytes, lower-case by default and upper-case on request', () => {
    const b = Uint8Array.of(0x00, 0x01, 0xab, 0xff);
    assert.equal(toHex(b), '0001abff');
    assert.equal(toUpperHex(b), '0001ABFF');
    assert.deepEqual(fromHex('0001abff'), b);
    assert.deepEqual(fromHex('0001ABFF'), b);
    assert.deepEqual(fromHex(''), new Uint8Array());
  });

  test('encodes only the viewed part of a subarray', () => {
    const backing = Uint8Array.of(1, 2, 3, 4, 5, 6);
    const view = backing.subarray(2, 4);
    assert.equal(toHex(view), '0304');
    assert.equal(toBase64(view), Buffer.from([3, 4]).toString('base64'));
  });

  test('rejects odd length and non-hex characters', () => {
    assert.throws(() => fromHex('abc'), /invalid hex/);
    assert.throws(() => fromHex('zz'), /invalid hex/);
    assert.throws(() => fromHex('0x00'), /invalid hex/);
    assert.throws(() => fromHex('00 11'), /invalid hex/);
  });

  test('returns a plain Uint8Array', () => {
    const b = fromHex('00ff');
    assert.equal(Object.getPrototypeOf(b), Uint8Array.prototype);
  });
});

describe('base64', () => {
  test('round-trips bytes of every length modulo 3', () => {
    for (let n = 0; n < 8; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      assert.deepEqual(fromBase64(toBase64(b)), b);
    }
  });

  test('matches a known value', () => {
    assert.equal(toBase64(utf8('hello')), 'aGVsbG8=');
    assert.deepEqual(fromBase64('aGVsbG8='), utf8('hello'));
  });

  test('rejects characters outside the standard alphabet and impossible lengths', () => {
    assert.throws(() => fromBase64('aGVs*G8='), /invalid base64/);
    assert.throws(() => fromBase64('aGVsbG8-'), /invalid base64/);
    assert.throws(() => fromBase64('a'), /invalid base64/);
    assert.throws(() => fromBase64('aG=V'), /invalid base64/);
    assert.throws(() => fromBase64('aGVsbG8==='), /invalid base64/);
  });
});

describe('byte helpers', () => {
  test('utf8 encodes multi-byte characters', () => {
    assert.deepEqual(utf8('é'), Uint8Array.of(0xc3, 0xa9));
    assert.deepEqual(utf8(''), new Uint8Array());
    const te = new TextEncoder();
    for (const s of ['1234567890', 'amount 42utru', 'prefix é after ascii', 'x'.repeat(64), 'y'.repeat(65) + '🎉', '𝄞']) assert.deepEqual(utf8(s), te.encode(s), s);
  });

  test('concatBytes joins in order', () => {
    assert.deepEqual(concatBytes(Uint8Array.of(1), new Uint8Array(), Uint8Array.of(2, 3)), Uint8Array.of(1, 2, 3));
    assert.deepEqual(concatBytes(), new Uint8Array());
  });

  test('bytesEqual compares length and content', () => {
    assert.equal(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2)), true);
    assert.equal(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3)), false);
    assert.equal(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0)), false);
    assert.equal(bytesEqual(new Uint8Array(), new Uint8Array()), true);
  });

  test('compareBytes orders lexicographically, shorter prefix first', () => {
    assert.equal(compareBytes(Uint8Array.of(1), Uint8Array.of(2)), -1);
    assert.equal(compareBytes(Uint8Array.of(2), Uint8Array.of(1, 9)), 1);
    assert.equal(compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0)), -1);
    assert.equal(compareBytes(Uint8Array.of(7, 7), Uint8Array.of(7, 7)), 0);
  });
});
