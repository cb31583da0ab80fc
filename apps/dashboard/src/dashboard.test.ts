import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listeningPort } from '@trucom/nest-common';
import { spawnService } from '@trucom/nest-common/testing';
import { pino } from 'pino';
import { parseDashboardArgs } from './config.js';
import { startDashboard } from './dashboard.js';

const OWNER = 'tru14pphss726thpwws3yc458hggufynm9x74htlfy';

test('dashboard serves the app (files, client routes → index.html), /config.json, Keplr chain info, /health and /metrics', async (t) => {
  const web = mkdtempSync(join(tmpdir(), 'trucom-dashboard-web-'));
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><html lang="en"><title>Trucom dashboard</title><div id="root"></div>');
  writeFileSync(join(web, 'assets', 'app-123.js'), 'console.log(1)');
  const config = parseDashboardArgs(['--port', '0', '--rest', 'http://127.0.0.1:1999', '--rpc', 'http://127.0.0.1:1998', '--home', join(web, 'home')], {})!;
  const app = await startDashboard(config, { logger: pino({ level: 'silent' }), webRoot: `${web}/` });
  t.after(async () => {
    await app.close();
    rmSync(web, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${listeningPort(app)}`;

  for (const path of ['/', '/deals/7', '/wallet']) {
    const page = await fetch(`${base}${path}`);
    assert.equal(page.status, 200, path);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(await page.text(), /<title>Trucom dashboard<\/title>/);
  }
  const asset = await fetch(`${base}/assets/app-123.js`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
  assert.equal((await fetch(`${base}/assets/missing.js`)).status, 404);
  assert.equal((await fetch(`${base}/..%2f..%2fetc%2fpasswd`)).status, 200); // the app, never a file outside the root

  const cfg = (await (await fetch(`${base}/config.json`)).json()) as Record<string, unknown>;
  assert.equal(cfg.rest, 'http://127.0.0.1:1999');
  assert.equal(cfg.chainId, 'trucom-devnet-1');
  assert.deepEqual(cfg.gateways, config.gateways);
  const keplr = (await (await fetch(`${base}/keplr-chain-info.json`)).json()) as Record<string, unknown>;
  assert.equal(keplr.chainId, 'trucom-devnet-1');

  const bad = await fetch(`${base}/api/v1/payments?owner=tru1nope`);
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /not a valid Trucom address/);
  assert.equal((await fetch(`${base}/api/v1/payments`)).status, 400);
  const none = await fetch(`${base}/api/v1/payments?owner=${OWNER}`);
  assert.equal(none.status, 200);
  assert.deepEqual(await none.json(), { owner: OWNER, indexedHeight: 0, payments: [] }); // no chain at --rpc: nothing indexed yet

  const health = await fetch(`${base}/health`);
  assert.equal(health.status, 200);
  const body = (await health.json()) as Record<string, unknown>;
  assert.equal(body.status, 'ok');
  assert.equal(body.service, 'dashboard');

  const metrics = await fetch(`${base}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  assert.match(await metrics.text(), /service="dashboard"/);
});

test('dashboard process exits with code 0 on SIGTERM and on SIGINT', async (t) => {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const home = mkdtempSync(join(tmpdir(), 'trucom-dashboard-home-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const service = await spawnService(main, ['--port', '0', '--home', home, '--rpc', 'http://127.0.0.1:1998']);
    const page = await fetch(`http://127.0.0.1:${service.port}/`);
    assert.equal(page.status, 200);
    await page.body?.cancel();
    assert.equal(await service.stop(signal), 0, signal);
  }
});
