import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listeningPort } from '@trucom/nest-common';
import { spawnService } from '@trucom/nest-common/testing';
import { pino } from 'pino';
import { parseGatewayArgs } from './config.js';
import { startGateway } from './gateway.js';

test('gateway serves /health and /metrics, and creates its home', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'trucom-gateway-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const home = join(dir, 'nested', 'gateway');
  const app = await startGateway({ ...parseGatewayArgs(['--port', '0', '--home', home, '--rpc', 'http://127.0.0.1:1'], {})! }, { logger: pino({ level: 'silent' }) });
  t.after(() => app.close());
  const base = `http://127.0.0.1:${listeningPort(app)}`;

  assert.ok((await stat(home)).isDirectory());

  const health = await fetch(`${base}/health`);
  assert.equal(health.status, 200);
  const body = (await health.json()) as Record<string, unknown>;
  assert.equal(body.status, 'ok');
  assert.equal(body.service, 'gateway');

  const metrics = await fetch(`${base}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await metrics.text();
  assert.match(text, /^# HELP trucom_process_cpu_user_seconds_total /m);
  assert.match(text, /service="gateway"/);
});

test('gateway process exits with code 0 on SIGTERM and on SIGINT', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'trucom-gateway-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const service = await spawnService(main, ['--port', '0', '--home', join(dir, 'home')]);
    const health = await fetch(`http://127.0.0.1:${service.port}/health`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    assert.equal(await service.stop(signal), 0, signal);
  }
});
