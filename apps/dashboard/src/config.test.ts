import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DASHBOARD_PORT, parseDashboardArgs } from './config.js';

test('dashboard flags: defaults, env port, overrides', () => {
  assert.deepEqual(parseDashboardArgs([], {}), { host: '127.0.0.1', port: DEFAULT_DASHBOARD_PORT, rpc: 'http://127.0.0.1:26657' });
  assert.equal(parseDashboardArgs([], { TRUCOM_DASHBOARD_PORT: '3001' })!.port, 3001);
  assert.deepEqual(parseDashboardArgs(['--port', '0', '--host', '::1', '--rpc', 'https://rpc.example.org'], { TRUCOM_DASHBOARD_PORT: '3001' }), {
    host: '::1',
    port: 0,
    rpc: 'https://rpc.example.org',
  });
  assert.equal(parseDashboardArgs(['-h'], {}), undefined);
  assert.throws(() => parseDashboardArgs(['--port', '70000'], {}), /--port/);
  assert.throws(() => parseDashboardArgs(['--home', 'x'], {}), /home/);
});
