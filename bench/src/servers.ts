/**
 * What the serving benchmarks share: children in process groups of their own (a devnet, a gateway,
 * nginx), polling with a deadline, free ports, Debian's nginx with a throw-away config, per-process
 * CPU time, and percentiles of measured latencies.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { DevnetPorts } from '@trucom/testkit';
import { sleep } from './commits.js';

export const NGINX = '/usr/sbin/nginx';

export interface Started {
  readonly child: ChildProcess;
  output(): string;
}

/** A child in its own process group, its output kept for error messages. */
export function start(cmd: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => out };
}

/** Why waiting on a started child is pointless (it exited), or undefined. */
export const exitedWhy = (p: Started) => () => (p.child.exitCode !== null || p.child.signalCode !== null ? `exited (${p.child.signalCode ?? p.child.exitCode}); output:\n${p.output()}` : undefined);

export function killGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Signals the group, then SIGKILLs it if the leader has not exited within `graceMs`. */
export async function stopGroup(child: ChildProcess | undefined, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  killGroup(child, signal);
  await Promise.race([exited, sleep(graceMs)]);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the whole group is gone
  }
}

/** Polls `ok` until it holds; `died` tells why waiting is pointless, `output` what the process printed. */
export async function waitUntil(what: string, ok: () => Promise<boolean> | boolean, timeoutMs: number, died?: () => string | undefined, output?: () => string): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(250)) {
    const why = died?.();
    if (why) throw new Error(`${what}: ${why}`);
    if (await Promise.resolve().then(ok).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${output ? `; its output so far:\n${output().slice(-3000)}` : ''}`);
  }
}

/** SIGKILLs the process groups of `children()` when this process exits; SIGINT and SIGTERM exit with 130. */
export function killOnExit(children: () => readonly (Started | undefined)[]): void {
  process.once('exit', () => children().forEach((p) => killGroup(p?.child, 'SIGKILL')));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
}

/** Every port a devnet on these base ports listens on (4 validators, 4 gateways, REST, dashboard). */
export const devnetPortList = (ports: DevnetPorts) => [0, 1, 2, 3].flatMap((i) => [ports.rpc + 10 * i, ports.p2p + 10 * i, ports.gateway + i]).concat(ports.rest, ports.dashboard);

export async function latestHeight(rpc: string): Promise<number> {
  const res = await fetch(`${rpc}/status`, { signal: AbortSignal.timeout(5_000) });
  return Number(((await res.json()) as { result: { sync_info: { latest_block_height: string } } }).result.sync_info.latest_block_height);
}

/**
 * `node <cli> devnet` with `env` (home and TRUCOM_*_PORT of `ports`) once its ports are free; resolves
 * when it has reached height 2 and every gateway answers /health (the ready message is not awaited:
 * the CLI prints none when the first block takes over a minute, as on a loaded machine).
 */
export async function startDevnet(cli: string, home: string, ports: DevnetPorts, env: NodeJS.ProcessEnv, progress: (msg: string) => void): Promise<Started> {
  const list = devnetPortList(ports);
  await waitUntil(`the devnet's ports (${list.join(', ')}) to be free`, async () => (await Promise.all(list.map(portFree))).every(Boolean), 60_000);
  progress(`starting the devnet in ${home} (RPC ${ports.rpc}, gateways ${ports.gateway}–${ports.gateway + 3})…`);
  const devnet = start(process.execPath, [cli, 'devnet'], env);
  const rpc = `http://127.0.0.1:${ports.rpc}`;
  await waitUntil('the devnet (height 2, every gateway healthy)', async () => {
    if ((await latestHeight(rpc)) < 2) return false;
    for (let i = 0; i < 4; i++) if ((await fetch(`http://127.0.0.1:${ports.gateway + i}/health`)).status !== 200) return false;
    return true;
  }, 300_000, exitedWhy(devnet), devnet.output);
  return devnet;
}

/** Whether 127.0.0.1:`port` can be listened on now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first free port from `from` up to `to`. Ports from 32768 lie in Linux's ephemeral range, so a
 * client socket of another program on this machine can hold one for a while.
 */
export async function freePort(from: number, to: number, taken: readonly number[] = []): Promise<number> {
  for (let port = from; port <= to; port++) if (!taken.includes(port) && (await portFree(port))) return port;
  throw new Error(`no free port in ${from}–${to}`);
}

/** CPU time (user + system) a process has used, in ms (0 once it is gone). */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** The processes of a process group (nginx's master and workers). */
export function groupPids(pgid: number): number[] {
  const r = spawnSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

/** Installs Debian's nginx when missing (as root), or says how. */
export function ensureNginx(progress: (msg: string) => void): void {
  if (spawnSync(NGINX, ['-v']).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`${NGINX} is missing: install Debian's nginx package (sudo apt-get install -y nginx) and run again`);
  progress('installing nginx (apt-get install -y nginx)…');
  const install = () => spawnSync('apt-get', ['install', '-y', 'nginx'], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status;
  if (install() !== 0) {
    spawnSync('apt-get', ['update'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (install() !== 0) throw new Error('apt-get install -y nginx failed');
  }
}

/** A minimal nginx.conf serving `root` on 127.0.0.1:`port`, everything it writes kept under `prefix`; `extra` goes into the server block. */
export function nginxConfig(prefix: string, root: string, port: number, extra = ''): string {
  return `worker_processes auto;
daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  client_body_temp_path ${join(prefix, 'body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};
  server {
    listen 127.0.0.1:${port};
    root ${root};
${extra}
  }
}
`;
}

/** Starts nginx on a config written to `prefix` and waits until `probeUrl` answers 200. */
export async function startNginx(prefix: string, config: string, probeUrl: string, env: NodeJS.ProcessEnv): Promise<Started> {
  writeFileSync(join(prefix, 'nginx.conf'), config);
  const nginx = start(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], env);
  await waitUntil('nginx', async () => (await fetch(probeUrl)).status === 200, 20_000, exitedWhy(nginx), nginx.output);
  return nginx;
}

/** The p-th percentile (0-100) of `values` (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
