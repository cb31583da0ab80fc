/**
 * npm run bench:gateway — a Trucom gateway against nginx, serving the same bytes, same run.
 *
 * Starts `trucom devnet` in a temp home on its own ports (30000–30199), publishes a directory with a
 * 16 KiB and a 1 MiB file of random bytes (`trucom site publish`: upload, deal, name, 3 replicas),
 * then starts one more gateway process of its own (apps/gateway/dist/main.js, no provider key: it
 * serves only, fetching the DAG from the replicas once, with the payment check on: every request's
 * verdict comes from PaymentBook, which asks the chain again every 2 s). nginx (Debian package) serves
 * the same two files from a directory with a minimal config written to the temp dir. Each case gets
 * a short warm-up, then CONNECTIONS connections for SECONDS seconds of autocannon (closed loop, in this
 * process). Reports req/s, p50/p99 latency, throughput, and the CPU each server spent per request.
 * The devnet (4 validators, 4 gateways, dashboard) keeps running in the background for both servers.
 * BENCH_PROFILE_DIR: the bench's gateway writes a CPU profile there when it stops.
 * Progress on stderr, one JSON line on stdout.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { devnetEnv } from '@trucom/testkit';
import { cpuMs, devnetPortList, ensureNginx, exitedWhy, freePort, groupPids, killOnExit, nginxConfig, start, startDevnet, startNginx, stopGroup, waitUntil, type Started } from './servers.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PORTS = { rpc: 30057, p2p: 30056, rest: 30017, gateway: 30100, dashboard: 30110, benchGateway: 30120, nginx: 30130 };
/** Every port the devnet binds (4 validators: RPC and P2P 10 apart; REST; 4 gateways; the dashboard). */
const DEVNET_PORTS = devnetPortList(PORTS);
const FILES = [
  { name: '16k.bin', label: '16KiB', bytes: 16 * 1024 },
  { name: '1m.bin', label: '1MiB', bytes: 1024 * 1024 },
];
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'bin', 'trucom.js');
const GATEWAY_MAIN = join(REPO, 'apps', 'gateway', 'dist', 'main.js');
const progress = (msg: string) => process.stderr.write(`[bench:gateway] ${msg}\n`);

async function sha256Of(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex');
}

interface Case {
  server: 'gateway' | 'nginx';
  file: string;
  req_per_s: number;
  p50_ms: number;
  p99_ms: number;
  throughput_mib_s: number;
  requests: number;
  errors: number;
  non2xx: number;
  cpu_us_per_req: number;
}

async function load(server: Case['server'], file: (typeof FILES)[number], url: string, pids: () => number[]): Promise<Case> {
  if (WARMUP_SECONDS > 0) await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS });
  const cpu = () => pids().reduce((sum, pid) => sum + cpuMs(pid), 0);
  const cpuBefore = cpu();
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  const cpuSpent = cpu() - cpuBefore;
  const c: Case = {
    server,
    file: file.label,
    req_per_s: Math.round(r.requests.total / r.duration),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    throughput_mib_s: Math.round((r.throughput.total / r.duration / 2 ** 20) * 10) / 10,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    cpu_us_per_req: Math.round((cpuSpent * 1000) / Math.max(r.requests.total, 1)),
  };
  progress(`${server} ${file.label}: ${c.req_per_s} req/s, p50 ${c.p50_ms} ms, p99 ${c.p99_ms} ms, ${c.throughput_mib_s} MiB/s, ${c.cpu_us_per_req} µs CPU/req${c.errors || c.non2xx ? `, ${c.errors} errors, ${c.non2xx} non-2xx` : ''}`);
  return c;
}

async function main() {
  ensureNginx(progress);
  const home = mkdtempSync(join(tmpdir(), 'trucom-bench-gateway-'));
  // nginx's workers run as another user: the served files live in a directory they can read
  const site = mkdtempSync(join(tmpdir(), 'trucom-bench-gateway-site-'));
  chmodSync(site, 0o755);
  for (const f of FILES) writeFileSync(join(site, f.name), randomBytes(f.bytes));
  const env = devnetEnv(home, PORTS, { LOG_LEVEL: 'warn' });
  const rpc = `http://127.0.0.1:${PORTS.rpc}`;
  let devnet: Started | undefined;
  let gateway: Started | undefined;
  let nginx: Started | undefined;
  killOnExit(() => [devnet, gateway, nginx]);
  let ok = false;
  try {
    devnet = await startDevnet(CLI, home, PORTS, env, progress);

    progress('publishing 16k.bin and 1m.bin (trucom site publish)…');
    const publish = spawnSync(process.execPath, [CLI, 'site', 'publish', site, '--name', 'bench', '--from', 'publisher', '--node', rpc, '--gateway', `http://127.0.0.1:${PORTS.gateway}`], { env, encoding: 'utf8', timeout: 300_000 });
    const lastLine = publish.stdout.trim().split('\n').at(-1) ?? '';
    if (publish.status !== 0 || !lastLine.startsWith('{')) throw new Error(`site publish failed (${publish.status}): ${publish.stdout}\n${publish.stderr}`);
    const { cid, deal } = JSON.parse(lastLine) as { cid: string; deal: string };
    progress(`published ${cid} (deal ${deal})`);

    const gwHome = join(home, 'bench-gateway');
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
    const gwEnv = { ...env };
    for (const k of ['TRUCOM_RPC_PORT', 'TRUCOM_P2P_PORT', 'TRUCOM_REST_PORT', 'TRUCOM_GATEWAY_PORT', 'TRUCOM_DASHBOARD_PORT']) delete gwEnv[k];
    const gwPort = await freePort(PORTS.benchGateway, 30199, DEVNET_PORTS);
    gateway = start(process.execPath, [...profile, GATEWAY_MAIN, '--home', gwHome, '--port', String(gwPort), '--rpc', rpc], gwEnv);
    const gwBase = `http://127.0.0.1:${gwPort}`;
    await waitUntil('the bench gateway', async () => (await fetch(`${gwBase}/health`)).status === 200, 60_000, exitedWhy(gateway));

    const nginxDir = join(home, 'nginx');
    mkdirSync(nginxDir);
    const nginxPort = await freePort(PORTS.nginx, 30199, [...DEVNET_PORTS, gwPort]);
    const nginxBase = `http://127.0.0.1:${nginxPort}`;
    nginx = await startNginx(nginxDir, nginxConfig(nginxDir, site, nginxPort), `${nginxBase}/16k.bin`, env);

    // the same bytes from both (the gateway's first request fetches the DAG from a replica)
    for (const f of FILES) {
      const want = createHash('sha256').update(readFileSync(join(site, f.name))).digest('hex');
      if ((await sha256Of(`${gwBase}/ipfs/${cid}/${f.name}`)) !== want) throw new Error(`the gateway serves other bytes for ${f.name}`);
      if ((await sha256Of(`${nginxBase}/${f.name}`)) !== want) throw new Error(`nginx serves other bytes for ${f.name}`);
    }
    progress(`both serve the same bytes; ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per case`);

    const cases: Case[] = [];
    for (const f of FILES) {
      cases.push(await load('gateway', f, `${gwBase}/ipfs/${cid}/${f.name}`, () => [gateway!.child.pid!]));
      cases.push(await load('nginx', f, `${nginxBase}/${f.name}`, () => groupPids(nginx!.child.pid!)));
    }
    const rate = (server: string, file: string) => cases.find((c) => c.server === server && c.file === file)!.req_per_s;
    const ratio = (file: string) => Math.round((rate('gateway', file) / Math.max(rate('nginx', file), 1)) * 100) / 100;
    console.log(JSON.stringify({ bench: 'gateway', connections: CONNECTIONS, seconds: SECONDS, cases, ratio_16k: ratio('16KiB'), ratio_1m: ratio('1MiB') }));
    ok = true;
  } finally {
    progress('stopping nginx, the bench gateway and the devnet…');
    await stopGroup(nginx?.child, 'SIGQUIT', 5_000);
    await stopGroup(gateway?.child, 'SIGTERM', 10_000); // SIGTERM lets --cpu-prof write its profile
    await stopGroup(devnet?.child, 'SIGINT', 30_000);
    rmSync(site, { recursive: true, force: true });
    if (ok) rmSync(home, { recursive: true, force: true });
    else progress(`kept ${home} (devnet logs under devnet/logs)`);
  }
}

await main();
