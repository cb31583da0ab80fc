import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { DEFAULT_GATEWAY_PORT, DEFAULT_MAX_UPLOAD_BYTES, parseGatewayArgs } from './config.js';

test('gateway flags have devnet defaults', () => {
  assert.deepEqual(parseGatewayArgs([], {}), {
    host: '127.0.0.1',
    port: DEFAULT_GATEWAY_PORT,
    home: resolve('.trucom/gateway'),
    rpc: 'http://127.0.0.1:26657',
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    replicateEveryMs: 2000,
    proveEveryMs: 2000,
    claimEveryMs: 30000,
  });
  assert.equal(parseGatewayArgs([], { TRUCOM_MAX_UPLOAD_BYTES: '1048576' })!.maxUploadBytes, 1048576);
  assert.throws(() => parseGatewayArgs([], { TRUCOM_MAX_UPLOAD_BYTES: '1e3x' }), /TRUCOM_MAX_UPLOAD_BYTES/);
  assert.equal(parseGatewayArgs([], { TRUCOM_HOME: '/srv/trucom' })!.home, '/srv/trucom/gateway');
});

test('--port beats TRUCOM_GATEWAY_PORT, which beats the default', () => {
  assert.equal(parseGatewayArgs([], { TRUCOM_GATEWAY_PORT: '8081' })!.port, 8081);
  assert.equal(parseGatewayArgs(['--port', '8082'], { TRUCOM_GATEWAY_PORT: '8081' })!.port, 8082);
});

test('flags are parsed and checked', () => {
  const config = parseGatewayArgs(['--host', '0.0.0.0', '--home', 'g1', '--rpc', 'http://10.0.0.2:26667/'], {})!;
  assert.deepEqual({ ...config, maxUploadBytes: 0, replicateEveryMs: 0, proveEveryMs: 0, claimEveryMs: 0 }, { host: '0.0.0.0', port: DEFAULT_GATEWAY_PORT, home: resolve('g1'), rpc: 'http://10.0.0.2:26667', maxUploadBytes: 0, replicateEveryMs: 0, proveEveryMs: 0, claimEveryMs: 0 });
  assert.equal(parseGatewayArgs(['--help'], {}), undefined);
  assert.throws(() => parseGatewayArgs(['--port', 'x'], {}), /--port/);
  assert.throws(() => parseGatewayArgs([], { TRUCOM_GATEWAY_PORT: '99999' }), /TRUCOM_GATEWAY_PORT/);
  assert.throws(() => parseGatewayArgs(['--rpc', 'localhost'], {}), /--rpc/);
  assert.throws(() => parseGatewayArgs(['--bogus'], {}), /bogus/);
});

test('gateway.json in the home supplies what flags and env do not', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const home = mkdtempSync(join(tmpdir(), 'gw-config-'));
  writeFileSync(join(home, 'gateway.json'), JSON.stringify({ port: 8083, rpc: 'http://127.0.0.1:26687' }));
  const fromFile = parseGatewayArgs(['--home', home], {})!;
  assert.equal(fromFile.port, 8083);
  assert.equal(fromFile.rpc, 'http://127.0.0.1:26687');
  assert.equal(parseGatewayArgs(['--home', home, '--port', '9000'], {})!.port, 9000);
  assert.equal(parseGatewayArgs(['--home', home], { TRUCOM_GATEWAY_PORT: '9001' })!.port, 9001);
  writeFileSync(join(home, 'gateway.json'), JSON.stringify({ port: 'x' }));
  assert.throws(() => parseGatewayArgs(['--home', home], {}), /port must be a port number/);
});
