import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentTypeFor } from './content-type.js';

test('by extension first, then by the first bytes', () => {
  const none = new Uint8Array();
  assert.equal(contentTypeFor('index.html', none), 'text/html; charset=utf-8');
  assert.equal(contentTypeFor('app.JS', none), 'text/javascript; charset=utf-8');
  assert.equal(contentTypeFor('seg-0001.ts', none), 'video/mp2t');
  assert.equal(contentTypeFor('master.m3u8', none), 'application/vnd.apple.mpegurl');
  assert.equal(contentTypeFor('noext', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 1)), 'image/png');
  assert.equal(contentTypeFor('bafy', new TextEncoder().encode('  <!DOCTYPE html><p>')), 'text/html; charset=utf-8');
  assert.equal(contentTypeFor('bafy', new TextEncoder().encode('hello')), 'text/plain; charset=utf-8');
  assert.equal(contentTypeFor('bafy', Uint8Array.of(1, 0, 2)), 'application/octet-stream');
});
