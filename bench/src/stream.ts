/**
 * npm run bench:stream — encrypted HLS on a devnet: transcoding, segment serving against nginx,
 * key requests and revocation.
 *
 * Starts `trucom devnet` in a temp home on ports 30200–30399, makes a BENCH_STREAM_SECONDS (60) s
 * 1280×720 test video with ffmpeg and publishes it with `trucom stream publish` (4 s segments, a new
 * key every 3), then measures:
 * - transcode speed: seconds of video per second of the gateway's transcode stage (from the CLI's
 *   first "transcode" progress line to its first "package" line: ffmpeg encoding the whole ladder);
 * - segment serving: a closed loop of CONNECTIONS keep-alive connections (node:http; SECONDS s each
 *   after a warm-up, in BENCH_ROUNDS alternating rounds) cycling through every encrypted segment of
 *   the top rendition, from a replica gateway and from nginx serving the same files (downloaded from
 *   that gateway) from disk, same run: req/s, p50/p99 time to first byte (response headers) and p99
 *   to the last byte; ratio gateway/nginx req/s, the median of the rounds' ratios (target ≥ 0.6);
 * - key requests: KEY_REQUESTS sequential requests, each with a freshly signed ADR-036 header
 *   (signing is not timed), so every one pays signature verification and the grant check (the
 *   gateway serves a verdict fresh for 250 ms, refreshed in the background until 1 s old), p50/p99
 *   (target ≤ 20 ms); plus autocannon with one header
 *   reused within its ts window;
 * - revocation: REVOKES times, grant a fresh viewer, request a key every ~50 ms, run `trucom grant
 *   revoke`; the delay runs from the arrival of the revoke block's NewBlockHeader event (WebSocket,
 *   i.e. its commit) to the first 403, in ms and in blocks committed meanwhile (target ≤ 2 blocks).
 * Progress on stderr, one JSON line on stdout.
 */
import http from 'node:http';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signAdr036 } from '@trucom/crypto';
import { devnetEnv } from '@trucom/testkit';
import { sleep, watchHeaders } from './commits.js';
import { devnetPortList, ensureNginx, freePort, killOnExit, nginxConfig, percentile, round, startDevnet, startNginx, stopGroup, waitUntil, type Started } from './servers.js';

const VIDEO_SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 60);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const KEY_REQUESTS = Number(process.env.BENCH_KEY_REQUESTS ?? 400);
const REVOKES = Number(process.env.BENCH_REVOKES ?? 3);
const SEGMENT_S = 4;
const ROTATE = 3;
const PORTS = { rpc: 30257, p2p: 30256, rest: 30217, gateway: 30230, dashboard: 30240, nginx: 30300 };
const CONTENT = 'bench-stream';
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'bin', 'trucom.js');
const progress = (msg: string) => process.stderr.write(`[bench:stream] ${msg}\n`);

/** `node bin/trucom.js …args`; resolves to stdout, rejects with the output on a non-zero exit. */
function cli(args: string[], env: NodeJS.ProcessEnv, onStderrLine?: (line: string, at: number) => void, timeoutMs = 600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let partial = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const lines = (partial + d).split(/\r|\n/);
      partial = lines.pop()!;
      for (const l of lines) if (l) onStderrLine?.(l, performance.now());
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`trucom ${args.slice(0, 3).join(' ')} … exited ${signal ?? code}:\n${out}\n${err}`));
    });
  });
}

function keyHeader(privateKey: Uint8Array, key: string): string {
  const data = JSON.stringify({ content: CONTENT, key, ts: Math.floor(Date.now() / 1000) });
  const { signer, signature } = signAdr036(privateKey, data);
  return `ADR036 ${Buffer.from(JSON.stringify({ signer, data, ...signature })).toString('base64')}`;
}

async function keyStatus(gateway: string, privateKey: Uint8Array, key: string): Promise<{ status: number; ms: number }> {
  const authorization = keyHeader(privateKey, key);
  const t0 = performance.now();
  const res = await fetch(`${gateway}/keys/${CONTENT}/${key}`, { headers: { authorization }, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

interface Serving {
  req_per_s: number;
  mib_s: number;
  ttfb_p50_ms: number;
  ttfb_p99_ms: number;
  total_p99_ms: number;
  requests: number;
  errors: number;
  non200: number;
}

/**
 * A closed loop of `connections` keep-alive connections for `seconds`, cycling through `paths`: each
 * request's time to the response headers (TTFB) and to its last byte. node:http rather than
 * autocannon for segments: autocannon tops out near 20 MiB/s on 1.5 MiB bodies (13-15 req/s against
 * nginx where this loop makes 270-310), so it would measure itself.
 */
async function closedLoop(base: string, paths: readonly string[], connections: number, seconds: number) {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const ttfb: number[] = [];
  const total: number[] = [];
  let bytes = 0;
  let errors = 0;
  let non200 = 0;
  let next = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const path = paths[next++ % paths.length]!;
      await new Promise<void>((resolve) => {
        const sent = performance.now();
        const req = http.get({ host: url.hostname, port: url.port, path, agent }, (res) => {
          ttfb.push(performance.now() - sent);
          if (res.statusCode !== 200) non200++;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => {
            total.push(performance.now() - sent);
            resolve();
          });
          res.on('error', () => {
            errors++;
            resolve();
          });
        });
        req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
        req.on('error', () => {
          errors++;
          resolve();
        });
      });
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { ttfb, total, bytes, errors, non200, elapsed };
}

type Loop = Awaited<ReturnType<typeof closedLoop>>;

function serving(label: string, runs: readonly Loop[]): Serving {
  const all = { ttfb: runs.flatMap((r) => r.ttfb), total: runs.flatMap((r) => r.total), bytes: runs.reduce((n, r) => n + r.bytes, 0), elapsed: runs.reduce((n, r) => n + r.elapsed, 0) };
  const s: Serving = {
    req_per_s: Math.round(all.total.length / all.elapsed),
    mib_s: round(all.bytes / all.elapsed / 2 ** 20, 1),
    ttfb_p50_ms: round(percentile(all.ttfb, 50)),
    ttfb_p99_ms: round(percentile(all.ttfb, 99)),
    total_p99_ms: round(percentile(all.total, 99)),
    requests: all.total.length,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    non200: runs.reduce((n, r) => n + r.non200, 0),
  };
  progress(`${label}: ${s.req_per_s} req/s, ${s.mib_s} MiB/s; TTFB p50 ${s.ttfb_p50_ms} ms, p99 ${s.ttfb_p99_ms} ms; whole response p99 ${s.total_p99_ms} ms (${s.requests} requests)${s.errors || s.non200 ? `; ${s.errors} errors, ${s.non200} not 200` : ''}`);
  return s;
}

/**
 * The gateway and nginx in ROUNDS alternating rounds (ABBA…) of SECONDS / ROUNDS each, after a
 * warm-up of both: this VM's speed drifts within a run, so one long run each compares two machines.
 * The ratio is the median of the rounds' paired req/s ratios.
 */
async function serveBoth(gateway: { base: string; paths: readonly string[] }, nginx: { base: string; paths: readonly string[] }) {
  if (WARMUP_SECONDS > 0) for (const s of [gateway, nginx]) await closedLoop(s.base, s.paths, CONNECTIONS, WARMUP_SECONDS);
  const runs = { gateway: [] as Loop[], nginx: [] as Loop[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? (['gateway', 'nginx'] as const) : (['nginx', 'gateway'] as const)) {
      const s = kind === 'gateway' ? gateway : nginx;
      runs[kind].push(await closedLoop(s.base, s.paths, CONNECTIONS, SECONDS / ROUNDS));
    }
  }
  const rate = (r: Loop) => r.total.length / r.elapsed;
  const ratios = runs.gateway.map((g, i) => rate(g) / Math.max(rate(runs.nginx[i]!), 1e-9));
  const sorted = [...ratios].sort((a, b) => a - b);
  const ratio = round(sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2);
  progress(`paired req/s ratios, round by round: ${ratios.map((r) => round(r)).join(', ')} (median ${ratio})`);
  return { gateway: serving('gateway', runs.gateway), nginx: serving('nginx', runs.nginx), ratio, round_ratios: ratios.map((r) => round(r)) };
}

/** Grants a fresh viewer, polls a key every ~50 ms, revokes, and times the first 403 against the revoke's commit. */
async function revokeToRefusal(env: NodeJS.ProcessEnv, home: string, rpc: string, gateway: string, headers: ReadonlyMap<number, { arrivedAt: number }>) {
  const viewerKey = new Uint8Array(randomBytes(32));
  const viewer = signAdr036(viewerKey, 'x').signer;
  await cli(['--home', home, 'grant', 'add', CONTENT, viewer, '--from', 'publisher', '--node', rpc], env);
  await waitUntil('the new grant to be served', async () => (await keyStatus(gateway, viewerKey, 'k0')).status === 200, 30_000);
  const polls: { at: number; status: number }[] = [];
  let polling = true;
  const pollKeys = (async () => {
    while (polling) {
      const r = await keyStatus(gateway, viewerKey, 'k0').catch(() => undefined);
      if (r) polls.push({ at: performance.now(), status: r.status });
      if (r?.status === 403) return;
      await sleep(50);
    }
  })();
  let height: number;
  try {
    const out = await cli(['--home', home, '-o', 'json', 'grant', 'revoke', CONTENT, viewer, '--from', 'publisher', '--node', rpc], env);
    const tx = JSON.parse(out) as { code: number; height: number | string };
    if (tx.code !== 0) throw new Error(`revoke refused: ${out}`);
    height = Number(tx.height);
    await waitUntil('a 403 after the revoke', () => polls.some((p) => p.status === 403), 60_000);
  } finally {
    polling = false;
    await pollKeys;
  }
  // a block's NewBlockHeader event arrives when it commits
  const refused = polls.find((p) => p.status === 403)!;
  await waitUntil(`the header of block ${height}`, () => headers.has(height), 30_000);
  const committedAt = headers.get(height)!.arrivedAt;
  const heightAtRefusal = Math.max(...[...headers].filter(([, h]) => h.arrivedAt <= refused.at).map(([n]) => n));
  const r = { commit_height: height, refused_height: heightAtRefusal, blocks: heightAtRefusal - height, ms: Math.round(refused.at - committedAt) };
  progress(`revoke committed at height ${r.commit_height}; first 403 ${r.ms} ms after its NewBlockHeader arrived, at height ${r.refused_height} (${r.blocks} block(s))`);
  return r;
}

async function main() {
  ensureNginx(progress);
  const home = mkdtempSync(join(tmpdir(), 'trucom-bench-stream-'));
  const env = devnetEnv(home, PORTS, { LOG_LEVEL: 'warn' });
  const rpc = `http://127.0.0.1:${PORTS.rpc}`;
  const gateways = [0, 1, 2, 3].map((i) => `http://127.0.0.1:${PORTS.gateway + i}`);
  let devnet: Started | undefined;
  let nginx: Started | undefined;
  killOnExit(() => [devnet, nginx]);
  let ok = false;
  try {
    devnet = await startDevnet(CLI, home, PORTS, env, progress);

    const video = join(home, 'source.mp4');
    progress(`making a ${VIDEO_SECONDS} s 1280x720 test video…`);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(VIDEO_SECONDS), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', video]);

    progress(`trucom stream publish (--segment ${SEGMENT_S} --rotate ${ROTATE})…`);
    const stages = new Map<string, number>();
    let lastShown = '';
    const published = JSON.parse(
      (await cli(['--home', home, 'stream', 'publish', video, '--name', CONTENT, '--from', 'publisher', '--segment', String(SEGMENT_S), '--rotate', String(ROTATE), '--gateway', gateways[0]!, '--node', rpc], env, (line, at) => {
        const m = /^(\w+)\s+\[[#.]*\]\s+(\d+)%/.exec(line);
        if (!m) return;
        const [, stage, percent] = m;
        if (!stages.has(stage!)) stages.set(stage!, at);
        if (Number(percent) % 25 === 0 && line !== lastShown) progress((lastShown = line));
      })).trim().split('\n').at(-1)!,
    ) as { cid: string; deal: number };
    const transcodeS = ((stages.get('package') ?? NaN) - (stages.get('transcode') ?? NaN)) / 1000;
    const transcode = { video_s: VIDEO_SECONDS, wall_s: round(transcodeS, 1), speed_x_realtime: round(VIDEO_SECONDS / transcodeS) };
    progress(`published ${published.cid} (deal ${published.deal}); transcode ${transcode.wall_s} s = ${transcode.speed_x_realtime}× realtime`);

    const deal = (await (await fetch(`http://127.0.0.1:${PORTS.rest}/trucom/market/v1/deals/${published.deal}`)).json()) as { replicas: { endpoint: string; status: string }[] };
    const gateway = deal.replicas.find((r) => r.status === 'active')!.endpoint.replace(/\/$/, '');

    // the same encrypted files on disk for nginx, fetched from the gateway
    const files = mkdtempSync(join(tmpdir(), 'trucom-bench-stream-files-'));
    chmodSync(files, 0o755);
    const master = await (await fetch(`${gateway}/ipfs/${published.cid}/master.m3u8`)).text();
    const playlists = master.split('\n').filter((l) => l && !l.startsWith('#'));
    let top: string[] = [];
    const save = async (rel: string) => {
      const res = await fetch(`${gateway}/ipfs/${published.cid}/${rel}`);
      if (res.status !== 200) throw new Error(`${rel}: ${res.status}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      mkdirSync(dirname(join(files, rel)), { recursive: true, mode: 0o755 });
      writeFileSync(join(files, rel), bytes, { mode: 0o644 });
      return bytes;
    };
    await save('master.m3u8');
    for (const [i, p] of playlists.entries()) {
      const segments = (await save(p)).toString().split('\n').filter((l) => l && !l.startsWith('#')).map((s) => join(dirname(p), s));
      for (const s of segments) await save(s);
      if (i === 0) top = segments;
    }
    for (const p of playlists) chmodSync(join(files, dirname(p)), 0o755);
    const segmentBytes = top.reduce((n, s) => n + readFileSync(join(files, s)).length, 0) / top.length;
    progress(`serving ${top.length} segments of ${playlists[0]} (avg ${Math.round(segmentBytes / 1024)} KiB) from ${gateway} and nginx: ${CONNECTIONS} keep-alive connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s each`);

    const nginxDir = join(home, 'nginx');
    mkdirSync(nginxDir);
    const nginxPort = await freePort(PORTS.nginx, 30399, devnetPortList(PORTS));
    const nginxBase = `http://127.0.0.1:${nginxPort}`;
    const headers = `    types { video/mp2t ts; application/vnd.apple.mpegurl m3u8; }
    add_header Cache-Control "public, max-age=29030400, immutable";
    add_header Access-Control-Allow-Origin *;`;
    nginx = await startNginx(nginxDir, nginxConfig(nginxDir, files, nginxPort, headers), `${nginxBase}/master.m3u8`, env);

    const compared = await serveBoth({ base: gateway, paths: top.map((s) => `/ipfs/${published.cid}/${s}`) }, { base: nginxBase, paths: top.map((s) => `/${s}`) });
    const { gateway: gatewayServing, nginx: nginxServing } = compared;
    rmSync(files, { recursive: true, force: true });

    // key requests: the publisher granted no one at publish time; grant a bench viewer
    const viewerKey = new Uint8Array(randomBytes(32));
    const viewer = signAdr036(viewerKey, 'x').signer;
    await cli(['--home', home, 'grant', 'add', CONTENT, viewer, '--from', 'publisher', '--node', rpc], env);
    await waitUntil('the grant to be served', async () => (await keyStatus(gateway, viewerKey, 'k0')).status === 200, 30_000);
    const latencies: number[] = [];
    for (let i = 0; i < KEY_REQUESTS; i++) {
      const r = await keyStatus(gateway, viewerKey, `k${i % 3}`);
      if (r.status !== 200) throw new Error(`key request ${i}: ${r.status}`);
      latencies.push(r.ms);
    }
    const loaded = await autocannon({ url: `${gateway}/keys/${CONTENT}/k0`, connections: 10, duration: Math.max(3, SECONDS / 2), headers: { authorization: keyHeader(viewerKey, 'k0') } });
    const keys = {
      sequential: { requests: latencies.length, p50_ms: round(percentile(latencies, 50)), p90_ms: round(percentile(latencies, 90)), p99_ms: round(percentile(latencies, 99)), max_ms: round(Math.max(...latencies)) },
      loaded: { connections: 10, req_per_s: Math.round(loaded.requests.total / loaded.duration), p99_ms: loaded.latency.p99, non2xx: loaded.non2xx },
    };
    progress(`key requests (fresh signature each): p50 ${keys.sequential.p50_ms} ms, p90 ${keys.sequential.p90_ms} ms, p99 ${keys.sequential.p99_ms} ms; loaded (10 connections): ${keys.loaded.req_per_s} req/s, p99 ${keys.loaded.p99_ms} ms`);

    const blocks = await watchHeaders(PORTS.rpc);
    const revokes = [];
    try {
      for (let i = 0; i < REVOKES; i++) revokes.push(await revokeToRefusal(env, home, rpc, gateway, blocks.headers));
    } finally {
      blocks.close();
    }

    const { ratio } = compared;
    console.log(
      JSON.stringify({
        bench: 'stream',
        // the machine's 1-minute load average and core count when the figures were taken
        loadavg_1m: round(loadavg()[0]!),
        cores: availableParallelism(),
        transcode,
        segments: { rendition: dirname(playlists[0]!), count: top.length, avg_kib: Math.round(segmentBytes / 1024), connections: CONNECTIONS, seconds: SECONDS, gateway: gatewayServing, nginx: nginxServing, ratio, round_ratios: compared.round_ratios, ttfb_p99_ratio: round(nginxServing.ttfb_p99_ms / Math.max(gatewayServing.ttfb_p99_ms, 0.01)) },
        key_requests: keys,
        revoke: { runs: revokes, max_blocks: Math.max(...revokes.map((r) => r.blocks)), max_ms: Math.max(...revokes.map((r) => r.ms)) },
        targets: { ratio_min: 0.6, key_p99_ms_max: 20, revoke_blocks_max: 2, met: { ratio: ratio >= 0.6, key_p99: keys.sequential.p99_ms <= 20, revoke: revokes.every((r) => r.blocks <= 2) } },
      }),
    );
    ok = true;
  } finally {
    progress('stopping nginx and the devnet…');
    await stopGroup(nginx?.child, 'SIGQUIT', 5_000);
    await stopGroup(devnet?.child, 'SIGINT', 30_000);
    if (ok) rmSync(home, { recursive: true, force: true });
    else progress(`kept ${home} (devnet logs under devnet/logs)`);
  }
}

await main();
