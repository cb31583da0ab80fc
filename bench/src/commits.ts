/**
 * What both transaction benchmarks measure the same way: when each block arrived (NewBlockHeader
 * events over the WebSocket, small, so measuring does not load the node), which of the bench's txs
 * each block holds (read afterwards with the `block` method), and the throughput and latency figures.
 */
import http from 'node:http';
import WebSocket from 'ws';

export interface BenchTx {
  readonly raw: string; // base64
  submittedAt?: number;
  committedAt?: number;
}

export interface SeenBlock {
  readonly height: number;
  readonly time: number;
  /** When its NewBlockHeader event reached the bench (performance.now(), the txs' clock). */
  readonly arrivedAt: number;
  readonly txs: number;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function post(port: number, agent: http.Agent, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A JSON-RPC client for occasional calls (status, blocks), one connection per call. */
export function rpcClient(port: number) {
  // No keep-alive: the client idles for the whole load phase, longer than the node keeps an idle
  // connection open, and reusing one the node is closing fails with ECONNRESET.
  const agent = new http.Agent({ keepAlive: false });
  return {
    call: async (method: string, params: object) => JSON.parse(await post(port, agent, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))).result,
    close: () => agent.destroy(),
  };
}

/** Subscribes to NewBlockHeader, retrying the connection until `timeoutMs` (the node may still be starting). */
export async function watchHeaders(port: number, timeoutMs = 60_000) {
  const headers = new Map<number, { arrivedAt: number; time: number }>();
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(250)) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket`);
    const opened = await new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('error', () => resolve(false));
    });
    if (!opened) continue;
    ws.on('message', (data) => {
      const header = JSON.parse(data.toString()).result?.data?.value?.header;
      if (header) headers.set(Number(header.height), { arrivedAt: performance.now(), time: Date.parse(header.time) });
    });
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: { query: "tm.event='NewBlockHeader'" } }));
    return { headers, close: () => ws.close() };
  }
  throw new Error(`no WebSocket on port ${port} after ${timeoutMs} ms`);
}

/**
 * Walks the blocks after `startHeight` as they arrive, marking each bench tx with the arrival time
 * of the block that committed it, until `expected` are committed, ten blocks in a row bring none
 * of them, or no block comes for `stallMs`.
 */
export async function collectCommits(options: {
  readonly headers: ReadonlyMap<number, { arrivedAt: number; time: number }>;
  readonly block: (height: number) => Promise<{ data: { txs?: string[] }; last_commit?: { round?: number | string } }>;
  readonly txs: readonly BenchTx[];
  readonly startHeight: number;
  readonly expected: number;
  readonly stallMs: number;
  readonly progress: (msg: string) => void;
}): Promise<SeenBlock[]> {
  const byRaw = new Map(options.txs.map((t) => [t.raw, t]));
  const blocks: SeenBlock[] = [];
  let committed = 0;
  let quiet = 0;
  let lastBlockAt = Date.now();
  for (let h = options.startHeight + 1; committed < options.expected && quiet < 10; ) {
    const seen = options.headers.get(h);
    if (!seen) {
      if (Date.now() - lastBlockAt > options.stallMs) throw new Error(`no block for ${options.stallMs} ms at height ${h}`);
      await sleep(100);
      continue;
    }
    let ours = 0;
    const block = await options.block(h);
    for (const raw of block.data.txs ?? []) {
      const tx = byRaw.get(raw);
      if (tx && tx.committedAt === undefined) {
        tx.committedAt = seen.arrivedAt;
        ours++;
      }
    }
    committed += ours;
    quiet = ours === 0 && committed > 0 ? quiet + 1 : 0;
    blocks.push({ height: h, time: seen.time, arrivedAt: seen.arrivedAt, txs: ours });
    lastBlockAt = Date.now();
    // The interval since the previous block and the round the previous block was decided in show
    // where latency comes from: slow blocks, or rounds that timed out.
    const previous = options.headers.get(h - 1);
    const interval = previous ? `, ${seen.time - previous.time} ms after block ${h - 1}` : '';
    const round = Number(block.last_commit?.round ?? 0);
    if (ours) options.progress(`block ${h}: ${ours} txs (${committed}/${options.expected})${interval}${round > 0 ? `; block ${h - 1} took ${round + 1} rounds` : ''}`);
    h++;
  }
  return blocks;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * p99 submit→commit latency of the txs submitted in each of `parts` equal slices of the offer
 * window: shows whether the tail comes from the start of the load (a cold node) or from all of it.
 */
export function p99ByPhase(txs: readonly BenchTx[], startedAt: number, seconds: number, parts: number): number[] {
  const slices: number[][] = Array.from({ length: parts }, () => []);
  for (const t of txs) {
    if (t.committedAt === undefined || t.submittedAt === undefined) continue;
    const part = Math.min(parts - 1, Math.floor(((t.submittedAt - startedAt) / 1000 / seconds) * parts));
    slices[Math.max(0, part)]!.push(t.committedAt - t.submittedAt);
  }
  return slices.map((l) => Math.round(percentile(l.sort((a, b) => a - b), 99)));
}

/** Submit→commit latency percentiles of the committed ones among `txs`. */
export function latencyFigures(txs: readonly BenchTx[]) {
  const latencies = txs.filter((t) => t.committedAt !== undefined && t.submittedAt !== undefined).map((t) => t.committedAt! - t.submittedAt!).sort((a, b) => a - b);
  return { p50_commit_ms: Math.round(percentile(latencies, 50)), p99_commit_ms: Math.round(percentile(latencies, 99)) };
}

/**
 * Committed tx/s over the blocks that carried the load (from the block before the first of them to
 * the last), and submit→commit latency percentiles.
 */
export function loadFigures(blocks: readonly SeenBlock[], txs: readonly BenchTx[], blockTimeMs: number) {
  const loaded = blocks.filter((b) => b.txs > 0);
  const committed = loaded.reduce((n, b) => n + b.txs, 0);
  const before = blocks.find((b) => b.height === loaded[0]!.height - 1);
  const spanSeconds = (loaded.at(-1)!.time - (before?.time ?? loaded[0]!.time - blockTimeMs)) / 1000;
  return { committed, blocks: loaded.length, tx_per_s: Math.round(committed / spanSeconds), ...latencyFigures(txs) };
}

/**
 * Figures for a measurement window that opens at `from` while the load is already running (after a
 * warm-up): the txs committed by blocks arriving from then until the last of the `measured` txs is
 * committed, per second, and the latency percentiles of the measured txs alone.
 */
export function windowFigures(blocks: readonly SeenBlock[], measured: readonly BenchTx[], from: number) {
  const end = measured.reduce((last, t) => Math.max(last, t.committedAt ?? -Infinity), -Infinity); // no spread: 100,000s of txs
  const inWindow = blocks.filter((b) => b.arrivedAt > from && b.arrivedAt <= end);
  const committedInWindow = inWindow.reduce((n, b) => n + b.txs, 0);
  return {
    committed: measured.filter((t) => t.committedAt !== undefined).length,
    blocks: inWindow.length,
    tx_per_s: Math.round(committedInWindow / ((end - from) / 1000)),
    ...latencyFigures(measured),
  };
}
