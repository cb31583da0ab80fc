/**
 * npm run bench:consensus — the 4-validator devnet under sustained load.
 *
 * Creates a devnet (the same genesis and node configs `npm start` writes, plus ACCOUNTS funded
 * bench accounts) in a temp dir on its own ports, starts the four validator processes, measures
 * the idle block time over IDLE_BLOCKS blocks, then offers RATE tx/s for WARMUP + SECONDS seconds
 * (open loop, pre-signed MsgSends; each account's txs go, in sequence order, to one validator, the
 * accounts spread over all four, so txs cross validators by gossip). The first WARMUP seconds warm
 * the validators up (V8 compiles the hot paths, heaps grow to their working size), the offered rate
 * rising from 0 to RATE over the first RAMP of them (a step from idle to full load meets cold code on
 * all four validators at once and starts a backlog that only measures start-up); the figures are
 * those of the SECONDS that follow: committed tx/s, submit→commit latency of the txs offered then
 * (commit = the NewBlockHeader event on v0), and each validator's CPU per tx and peak RSS. The
 * warm-up's own p99 is reported too, and secp256k1 verifications per second on one core measured
 * before the validators start (how fast the VM was). Progress on stderr, one JSON line on stdout.
 */
import '@trucom/nest-common/polyfills';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountAddress, secp256k1PublicKey, sha256, utf8 } from '@trucom/crypto';
import { createDevnet, devnetLayout, validatorHome, writeValidatorConfigs } from '@trucom/cli/devnet';
import { VALIDATOR_NODE_FLAGS } from '@trucom/validator/config';
import { signedSends } from './signed-sends.js';
import { verifyRates } from './verify-rates.js';
import { collectCommits, latencyFigures, p99ByPhase, windowFigures, post, rpcClient, sleep, watchHeaders, type BenchTx } from './commits.js';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 15);
const RAMP = Math.min(WARMUP, Number(process.env.BENCH_RAMP_SECONDS ?? 5));
const IDLE_BLOCKS = Number(process.env.BENCH_IDLE_BLOCKS ?? 10);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 400);
/** Txs per JSON-RPC batch (a batch of broadcast_tx_sync calls stays well under the RPC body limit). */
const MAX_BATCH = 500;
const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 27657);
const VALIDATOR_MAIN = fileURLToPath(new URL('../../apps/validator/dist/main.js', import.meta.url));
const progress = (msg: string) => process.stderr.write(`[bench:consensus] ${msg}\n`);

interface SignedTx extends BenchTx {
  readonly validator: number;
}

/** CPU time (user + system) a process has used, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** Peak resident set size (VmHWM) of a process, in MiB. */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

/** Txs due `seconds` after the load starts: the rate rises linearly over RAMP seconds, then stays at RATE. */
function dueBy(seconds: number): number {
  return Math.floor(seconds < RAMP ? (RATE * seconds * seconds) / (2 * RAMP) : RATE * (seconds - RAMP / 2));
}

/** When (ms after the load starts) the n-th tx is due: the inverse of dueBy. */
function dueAtMs(n: number): number {
  const rampTxs = (RATE * RAMP) / 2;
  return Math.round(1000 * (n < rampTxs ? Math.sqrt((2 * RAMP * n) / RATE) : n / RATE + RAMP / 2));
}

async function main() {
  // How fast this VM is right now (its speed drifts): measured alone, before the validators start.
  const verify = verifyRates();
  progress(`secp256k1 verify/s on one core: libsecp256k1 ${verify.libsecp256k1 ?? 'n/a'}, OpenSSL ${verify.openssl}, pure JS ${verify.pure_js}`);
  const home = mkdtempSync(join(tmpdir(), 'trucom-bench-consensus-'));
  process.env.TRUCOM_RPC_PORT = String(BASE_PORT);
  process.env.TRUCOM_P2P_PORT = String(BASE_PORT - 1);
  process.env.TRUCOM_REST_PORT = String(BASE_PORT - 10);
  const layout = devnetLayout(home);
  const rpcPorts = [0, 1, 2, 3].map((i) => layout.rpcPort(i));
  const keys = Array.from({ length: ACCOUNTS }, (_, i) => {
    const privateKey = sha256(utf8(`trucom-consensus-bench-${i}`));
    const publicKey = secp256k1PublicKey(privateKey);
    return { privateKey, publicKey, address: accountAddress(publicKey) };
  });
  await createDevnet(layout, keys.map((k) => ({ address: k.address, amount: 10n ** 15n })));
  await writeValidatorConfigs(layout, JSON.parse(readFileSync(join(layout.dir, 'accounts.json'), 'utf8'))[0].mnemonic);
  const genesis = JSON.parse(readFileSync(join(layout.dir, 'genesis.json'), 'utf8'));
  const firstBenchAccount = (genesis.app_state.auth.accounts as { address: string }[]).findIndex((a) => a.address === keys[0]!.address);

  const warmupTxs = dueBy(WARMUP);
  const total = warmupTxs + RATE * SECONDS;
  const perAccount = Math.ceil(total / ACCOUNTS);
  const sends = signedSends({ keys, perAccount, chainId: layout.chainId, firstAccountNumber: firstBenchAccount, fee: '2000' }, progress);
  // Each account's txs go, in sequence order, to one validator.
  const schedule: SignedTx[] = sends.map((raw, n) => ({ raw: Buffer.from(raw).toString('base64'), validator: (n % ACCOUNTS) % 4 }));
  schedule.length = total;

  const children: ChildProcess[] = [];
  const logs = join(home, 'logs');
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  try {
    progress(`starting 4 validators (RPC ${rpcPorts.join(', ')})…`);
    rmSync(logs, { recursive: true, force: true });
    mkdirSync(logs, { recursive: true });
    // The port variables shaped the configs; each validator must read its own ports from there.
    // BENCH_LOG_LEVEL: the validators' log level (their logs stay in the bench home when BENCH_KEEP_HOME is set).
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' };
    for (const k of ['TRUCOM_RPC_PORT', 'TRUCOM_P2P_PORT', 'TRUCOM_REST_PORT']) delete env[k];
    for (let i = 0; i < 4; i++) {
      const out = openSync(join(logs, `v${i}.log`), 'a');
      // BENCH_PROFILE_DIR: v0 writes a CPU profile there when it stops (to see where the time goes).
      const profile = i === 0 && process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
      // TRUCOM_NODE_FLAGS: extra Node/V8 flags for the validators (to compare runtime settings).
      const flags = [...profile, ...VALIDATOR_NODE_FLAGS, ...(process.env.TRUCOM_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])];
      children.push(spawn(process.execPath, [...flags, VALIDATOR_MAIN, '--home', validatorHome(layout, i)], { stdio: ['ignore', out, out], env }));
    }
    const { headers, close: closeHeaders } = await watchHeaders(rpcPorts[0]!);
    const v0 = rpcClient(rpcPorts[0]!);

    // idle block time
    const idleFrom = Math.max(2, ...[...headers.keys()]);
    for (const deadline = Date.now() + 60_000 + IDLE_BLOCKS * 3000; !headers.has(idleFrom + IDLE_BLOCKS); await sleep(100)) {
      if (Date.now() > deadline) throw new Error(`no block ${idleFrom + IDLE_BLOCKS}; see the logs in ${logs}`);
    }
    const blockTimeMs = Math.round((headers.get(idleFrom + IDLE_BLOCKS)!.time - headers.get(idleFrom)!.time) / IDLE_BLOCKS);
    progress(`idle block time ${blockTimeMs} ms over ${IDLE_BLOCKS} blocks`);

    const startHeight = Number((await v0.call('status', {})).sync_info.latest_block_height);
    let cpuBefore = children.map((c) => cpuMs(c.pid!));
    progress(`offering ${RATE} tx/s: ${WARMUP} s of warm-up (rising from 0 over the first ${RAMP} s), then ${SECONDS} s measured…`);
    const lanes = rpcPorts.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const queues: SignedTx[][] = rpcPorts.map(() => []);
    let rejected = 0;
    let firstReject = '';
    const started = performance.now();
    const TICK_MS = 100;
    const senders = rpcPorts.map(async (port, v) => {
      for (;;) {
        const batch = queues[v]!.splice(0, MAX_BATCH);
        if (batch.length === 0) {
          if (performance.now() - started > (WARMUP + SECONDS) * 1000 + 500) return;
          await sleep(5);
          continue;
        }
        const body = JSON.stringify(batch.map((tx, j) => ({ jsonrpc: '2.0', id: j, method: 'broadcast_tx_sync', params: { tx: tx.raw } })));
        const sentAt = performance.now();
        for (const tx of batch) tx.submittedAt = sentAt;
        const answer = JSON.parse(await post(port, lanes[v]!, body)) as { result?: { code: number; log: string } }[] | { error?: { message: string } };
        if (!Array.isArray(answer)) {
          rejected += batch.length;
          firstReject ||= answer.error?.message ?? JSON.stringify(answer);
          continue;
        }
        answer.forEach((r) => {
          if (r.result?.code !== 0) {
            rejected++;
            firstReject ||= r.result?.log ?? 'no result';
          }
        });
      }
    });
    for (let offered = 0; offered < total; ) {
      const due = Math.min(total, dueBy((performance.now() - started) / 1000));
      if (offered < warmupTxs && due >= warmupTxs) {
        cpuBefore = children.map((c) => cpuMs(c.pid!));
        progress(`warm-up done; measuring ${SECONDS} s…`);
      }
      for (; offered < due; offered++) queues[schedule[offered]!.validator]!.push(schedule[offered]!);
      await sleep(TICK_MS);
    }
    await Promise.all(senders);
    const offerSeconds = (performance.now() - started) / 1000;
    progress(`offered ${total} txs in ${offerSeconds.toFixed(1)} s (${rejected} rejected at CheckTx${firstReject ? `, e.g. "${firstReject}"` : ''})`);

    const blocks = await collectCommits({
      headers,
      block: async (h) => (await v0.call('block', { height: String(h) })).block,
      txs: schedule,
      startHeight,
      expected: total - rejected,
      stallMs: 30_000,
      progress,
    }).catch((err: Error) => {
      throw new Error(`${err.message}; see the logs in ${logs}`);
    });
    closeHeaders();
    v0.close();
    for (const a of lanes) a.destroy();
    const measureFrom = started + WARMUP * 1000;
    const figures = windowFigures(blocks, schedule.slice(warmupTxs), measureFrom);
    // Open-loop latency: from when each tx was due by the schedule, so it includes the time it waited
    // in the bench's own lane for the validator to answer the lane's last batch.
    const fromDue = latencyFigures(schedule.slice(warmupTxs).map((t, i) => ({ raw: t.raw, submittedAt: started + dueAtMs(warmupTxs + i), committedAt: t.committedAt })));
    // BENCH_DUMP_TXS: one line per tx (validator, when due, sent and committed, in ms from the start), to see where a tail comes from.
    if (process.env.BENCH_DUMP_TXS) {
      const ms = (t: number | undefined) => (t === undefined ? null : Math.round(t - started));
      writeFileSync(process.env.BENCH_DUMP_TXS, schedule.map((t, n) => JSON.stringify([t.validator, dueAtMs(n), ms(t.submittedAt), ms(t.committedAt)])).join('\n') + '\n');
    }
    const rss = children.map((c) => peakRssMiB(c.pid!));
    const cpuPerTx = children.map((c, i) => Math.round(((cpuMs(c.pid!) - cpuBefore[i]!) / Math.max(figures.committed, 1)) * 1000) / 1000);
    console.log(
      JSON.stringify({
        bench: 'consensus',
        validators: 4,
        offered_tx_per_s: RATE,
        seconds: SECONDS,
        warmup_seconds: WARMUP,
        ramp_seconds: RAMP,
        txs: total - warmupTxs,
        committed: figures.committed,
        rejected,
        tx_per_s: figures.tx_per_s,
        p50_commit_ms: figures.p50_commit_ms,
        p99_commit_ms: figures.p99_commit_ms,
        p99_from_due_ms: fromDue.p99_commit_ms,
        block_time_ms: blockTimeMs,
        warmup_p99_commit_ms: latencyFigures(schedule.slice(0, warmupTxs)).p99_commit_ms,
        peak_rss_mib: rss,
        // CPU each validator spent per committed tx over the measured window (all threads): with C cores
        // shared by 4 validators, C × 1000 / (4 × this) bounds tx/s on this machine.
        cpu_ms_per_tx: cpuPerTx,
        // p99 of the txs submitted in each sixth of the measured window (is the tail at its start or all along?)
        p99_by_sixth_ms: p99ByPhase(schedule.slice(warmupTxs), measureFrom, SECONDS, 6),
        secp256k1_verify_per_s_one_core: verify,
      }),
    );
    if (process.env.BENCH_KEEP_HOME) progress(`kept ${home}`);
    else rmSync(home, { recursive: true, force: true });
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  }
}

await main();
