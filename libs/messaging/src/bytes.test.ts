import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { b64url, unb64url } from './bytes.js';

describe('base64url (through plain base64, as the browser Buffer polyfill can)', () => {
  test('matches Node base64url for every padding length and a full-size envelope, and round-trips', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 64 * 1024]) {
      const b = new Uint8Array(randomBytes(n));
      assert.equal(b64url(b), Buffer.from(b).toString('base64url'), `${n} bytes`);
      assert.deepEqual(unb64url(b64url(b)), b);
    }
    assert.equal(b64url(Uint8Array.of(0xfb, 0xff, 0xbf)), '-_-_');
  });

  test('refuses characters outside base64url', () => {
    assert.throws(() => unb64url('ab+/'), /not base64url/);
    assert.throws(() => unb64url('abc='), /not base64url/);
  });
});
