import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { listeningPort } from '@trucom/nest-common';
import { spawnService } from '@trucom/nest-common/testing';
import { pino } from 'pino';
import { startDashboard } from './dashboard.js';
import { escapeHtml, renderPlaceholderPage } from './placeholder-page.js';

test('dashboard serves the placeholder page, /health and /metrics', async (t) => {
  const app = await startDashboard({ host: '127.0.0.1', port: 0, rpc: 'http://127.0.0.1:26657' }, { logger: pino({ level: 'silent' }) });
  t.after(() => app.close());
  const base = `http://127.0.0.1:${listeningPort(app)}`;

  const page = await fetch(`${base}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const html = await page.text();
  assert.match(html, /<html lang="en">/);
  assert.match(html, /<title>Trucom dashboard<\/title>/);
  assert.match(html, /<a href="http:\/\/127\.0\.0\.1:26657\/status">/);

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

test('the placeholder page escapes the RPC URL', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const html = renderPlaceholderPage('http://h/"><script>alert(1)</script>');
  assert.doesNotMatch(html, /<script>/);
});

test('dashboard process exits with code 0 on SIGTERM and on SIGINT', async () => {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const service = await spawnService(main, ['--port', '0']);
    const page = await fetch(`http://127.0.0.1:${service.port}/`);
    assert.equal(page.status, 200);
    await page.body?.cancel();
    assert.equal(await service.stop(signal), 0, signal);
  }
});
