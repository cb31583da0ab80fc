import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Supervisor } from './supervisor.js';

const dir = mkdtempSync(join(tmpdir(), 'trucom-supervisor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, `${name}.mjs`);
  writeFileSync(path, body);
  return path;
}

const forever = script('forever', "setInterval(() => {}, 1000); process.on('SIGTERM', () => process.exit(0));");

test('a service that shuts down cleanly (e.g. Ctrl-C reached it first) stops the devnet with code 0', async () => {
  const lines: string[] = [];
  const s = new Supervisor(join(dir, 'logs-a'), (l) => lines.push(l));
  s.start({ name: 'long', script: forever, args: [] });
  s.start({ name: 'clean', script: script('clean', 'process.exit(0)'), args: [] });
  assert.equal(await s.wait(), 0);
  assert.ok(lines.some((l) => l.includes('clean stopped')));
});

test('a service that crashes stops the devnet with code 1 and says where its log is', async () => {
  const lines: string[] = [];
  const s = new Supervisor(join(dir, 'logs-b'), (l) => lines.push(l));
  s.start({ name: 'long', script: forever, args: [] });
  s.start({ name: 'crash', script: script('crash', 'process.exit(3)'), args: [] });
  assert.equal(await s.wait(), 1);
  assert.ok(lines.some((l) => l.includes('crash exited unexpectedly (code 3)') && l.includes('crash.log')));
});

test('stop() ends every service and resolves with the code it was given', async () => {
  const s = new Supervisor(join(dir, 'logs-c'), () => {});
  s.start({ name: 'a', script: forever, args: [] });
  s.start({ name: 'b', script: forever, args: [] });
  assert.equal(await s.stop(0), 0);
});

test('a service with a restart hint may exit without stopping the devnet', async () => {
  const lines: string[] = [];
  const s = new Supervisor(join(dir, 'logs-d'), (l) => lines.push(l));
  s.start({ name: 'long', script: forever, args: [] });
  s.start({ name: 'v2', script: script('v2', 'process.exit(9)'), args: [], restartHint: 'run it again yourself' });
  const deadline = Date.now() + 10_000;
  while (!lines.some((l) => l.includes('v2 exited (code 9)')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(lines.some((l) => l.includes('v2 exited (code 9)') && l.includes('run it again yourself')), lines.join('\n'));
  assert.equal(await s.stop(0), 0);
});
