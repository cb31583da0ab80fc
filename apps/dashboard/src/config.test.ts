import { resolve } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DASHBOARD_PORT, DEFAULT_GATEWAYS, DEFAULT_REST, keplrChainInfo, parseDashboardArgs } from './config.js';

test('dashboard flags: defaults, env port, overrides', () => {
  assert.deepEqual(parseDashboardArgs([], {}), { host: '127.0.0.1', port: DEFAULT_DASHBOARD_PORT, rpc: 'http://127.0.0.1:26657', rest: DEFAULT_REST, gateways: DEFAULT_GATEWAYS, chainId: 'trucom-devnet-1', faucet: true, home: resolve('.trucom/dashboard') });
  assert.equal(parseDashboardArgs([], { TRUCOM_HOME: '/srv/trucom' })!.home, '/srv/trucom/dashboard');
  assert.equal(parseDashboardArgs([], { TRUCOM_DASHBOARD_PORT: '3001' })!.port, 3001);
  assert.deepEqual(
    parseDashboardArgs(['--port', '0', '--host', '::1', '--rpc', 'https://rpc.example.org', '--rest=https://rest.example.org/', '--gateways', 'http://g1:1, http://g2:2', '--chain-id', 'trucom-1', '--no-faucet', '--home', '/tmp/dash'], { TRUCOM_DASHBOARD_PORT: '3001' }),
    { host: '::1', port: 0, rpc: 'https://rpc.example.org', rest: 'https://rest.example.org', gateways: ['http://g1:1', 'http://g2:2'], chainId: 'trucom-1', faucet: false, home: '/tmp/dash' },
  );
  assert.equal(parseDashboardArgs(['-h'], {}), undefined);
  assert.throws(() => parseDashboardArgs(['--port', '70000'], {}), /--port/);
  assert.throws(() => parseDashboardArgs(['--home'], {}), /home/);
  assert.throws(() => parseDashboardArgs(['--gateways', 'ftp://x'], {}), /--gateways/);
  assert.throws(() => parseDashboardArgs(['--rest'], {}), /--rest needs a value/);
});

test('Keplr chain info names the chain, prefixes and the TRU currency', () => {
  const info = keplrChainInfo(parseDashboardArgs([], {})!);
  assert.equal(info.chainId, 'trucom-devnet-1');
  assert.equal(info.bech32Config.bech32PrefixValAddr, 'truvaloper');
  assert.deepEqual(info.stakeCurrency, { coinDenom: 'TRU', coinMinimalDenom: 'utru', coinDecimals: 6 });
  assert.equal(info.rest, DEFAULT_REST);
});
