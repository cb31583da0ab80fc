import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHttpUrl, parsePort } from './args.js';

test('parsePort accepts 0-65535 and rejects anything else', () => {
  assert.equal(parsePort('8080', '--port'), 8080);
  assert.equal(parsePort('0', '--port'), 0);
  assert.equal(parsePort('65535', '--port'), 65535);
  for (const bad of ['', '-1', '65536', '80a', '8e3', '1.5', 'http']) assert.throws(() => parsePort(bad, '--port'), /--port: expected a port number/);
});

test('parseHttpUrl keeps http(s) URLs and drops a trailing slash', () => {
  assert.equal(parseHttpUrl('http://127.0.0.1:26657/', '--rpc'), 'http://127.0.0.1:26657');
  assert.equal(parseHttpUrl('https://rpc.example.org/v1', '--rpc'), 'https://rpc.example.org/v1');
  assert.throws(() => parseHttpUrl('127.0.0.1:26657', '--rpc'), /--rpc: expected an http\(s\) URL/);
  assert.throws(() => parseHttpUrl('ws://127.0.0.1:26657', '--rpc'), /--rpc: expected an http\(s\) URL/);
});
