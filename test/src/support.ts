/**
 * Helpers shared by the cross-process tests: raw JSON-RPC and REST calls, an independent ledger
 * rebuilt from block events (supply conservation block by block), the supply invariant over REST,
 * and temp directories / child processes that are always cleaned up.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Comet38Client, WebsocketClient } from '@cosmjs/tendermint-rpc';
import { waitFor } from '@trucom/testkit';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TRUCOM_CLI = join(REPO_ROOT, 'bin', 'trucom.js');
export const DENOM = 'utru';

// ---------------------------------------------------------------------------------------------
// JSON-RPC

export interface RpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: string;
}

export interface RpcResponse<T = unknown> {
  readonly jsonrpc: '2.0';
  readonly id: unknown;
  readonly result?: T;
  readonly error?: RpcErrorObject;
}

/** POSTs `body` (sent as is when a string) to the RPC root; returns the HTTP status and parsed body. */
export async function postRpc(rpcUrl: string, body: unknown, timeoutMs = 10_000): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}

let nextId = 1;

/** One JSON-RPC call; returns the whole response object (result or error). */
export async function rpcCall<T = unknown>(rpcUrl: string, method: string, params: unknown = {}): Promise<RpcResponse<T>> {
  const id = nextId++;
  const { status, body, text } = await postRpc(rpcUrl, { jsonrpc: '2.0', id, method, params });
  assert.equal(status, 200, `${method}: HTTP ${status}: ${text.slice(0, 300)}`);
  const r = body as RpcResponse<T>;
  assert.equal(r.jsonrpc, '2.0');
  assert.equal(r.id, id, `${method}: the response echoes the request id`);
  return r;
}

/** One JSON-RPC call that must succeed; returns its result. */
export async function rpc<T = any>(rpcUrl: string, method: string, params: unknown = {}): Promise<T> {
  const r = await rpcCall<T>(rpcUrl, method, params);
  if (r.error) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.result as T;
}

export interface BroadcastResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly hash: string;
}

export function broadcastSync(rpcUrl: string, tx: Uint8Array): Promise<BroadcastResult> {
  return rpc<BroadcastResult>(rpcUrl, 'broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') });
}

export async function latestHeight(rpcUrl: string): Promise<number> {
  return Number((await rpc(rpcUrl, 'status')).sync_info.latest_block_height);
}

/** The app hash of the last committed block, and that block's height (abci_info). */
export async function abciInfo(rpcUrl: string): Promise<{ height: number; appHash: string }> {
  const r = (await rpc(rpcUrl, 'abci_info')).response;
  return { height: Number(r.last_block_height), appHash: r.last_block_app_hash as string };
}

export function waitForHeight(rpcUrl: string, atLeast: number, timeoutMs = 30_000): Promise<number> {
  return waitFor(`height ${atLeast}`, async () => {
    const h = await latestHeight(rpcUrl);
    return h >= atLeast ? h : undefined;
  }, timeoutMs);
}

export interface TxRecord {
  readonly hash: string;
  readonly height: string;
  readonly index: number;
  readonly tx: string;
  readonly tx_result: { code: number; codespace: string; log: string; gas_wanted: string; gas_used: string; events: RpcEvent[] };
}

export interface RpcEvent {
  readonly type: string;
  readonly attributes: readonly { key: string; value: string; index: boolean }[];
}

/** Polls tx_search until the tx is in a committed block. */
export function waitForTx(rpcUrl: string, hash: string, timeoutMs = 30_000): Promise<TxRecord> {
  return waitFor(`tx ${hash} to be committed`, async () => {
    const r = await rpc<{ txs: TxRecord[] }>(rpcUrl, 'tx_search', { query: `tx.hash='${hash}'` });
    return r.txs[0];
  }, timeoutMs);
}

/** Waits until the mempool is empty (every accepted tx is in a block or was dropped). */
export function waitForEmptyMempool(rpcUrl: string, timeoutMs = 30_000): Promise<true> {
  return waitFor('an empty mempool', async () => ((await rpc(rpcUrl, 'num_unconfirmed_txs')).total === '0' ? true : undefined), timeoutMs);
}

// ---------------------------------------------------------------------------------------------
// Balances, supply and the event ledger

export function attr(event: RpcEvent, key: string): string | undefined {
  return event.attributes.find((a) => a.key === key)?.value;
}

/** The utru part of a Coins string such as "2000utru" or "5stake,2000utru". */
export function utruOf(coins: string): bigint {
  let total = 0n;
  for (const part of coins.split(',')) {
    const m = /^(\d+)([a-zA-Z][a-zA-Z0-9/:._-]*)$/.exec(part.trim());
    if (m && m[2] === DENOM) total += BigInt(m[1]!);
  }
  return total;
}

/**
 * The account that receives fees: the recipient of a tx's fee transfer, i.e. a `transfer` event
 * from the fee payer emitted by the ante handler (no msg_index).
 */
export function feeRecipient(events: readonly RpcEvent[]): string | undefined {
  const payer = events.filter((e) => e.type === 'tx').map((e) => attr(e, 'fee_payer')).find((p) => p !== undefined);
  const transfer = events.find((e) => e.type === 'transfer' && attr(e, 'msg_index') === undefined && attr(e, 'sender') === payer);
  return transfer ? attr(transfer, 'recipient') : undefined;
}

export async function balanceOf(restUrl: string, address: string): Promise<bigint> {
  const r = await restJson<{ balances: { denom: string; amount: string }[] }>(restUrl, `/cosmos/bank/v1beta1/balances/${address}`);
  return BigInt(r.body.balances.find((b) => b.denom === DENOM)?.amount ?? '0');
}

export async function supplyOf(restUrl: string): Promise<bigint> {
  const r = await restJson<{ supply: { denom: string; amount: string }[] }>(restUrl, '/cosmos/bank/v1beta1/supply');
  return BigInt(r.body.supply.find((c) => c.denom === DENOM)?.amount ?? '0');
}

/**
 * Rebuilds every balance from genesis plus the coin_spent / coin_received events of every block
 * (block_results, heights 1..toHeight), checking block by block that nothing was minted or burnt:
 * the supply invariant after every block. Returns the balances and the fee recipient(s) seen.
 */
export async function replayLedger(rpcUrl: string, genesis: ReadonlyMap<string, bigint>, toHeight: number) {
  const balances = new Map(genesis);
  const feeRecipients = new Set<string>();
  const add = (address: string, delta: bigint) => balances.set(address, (balances.get(address) ?? 0n) + delta);
  let txs = 0;
  for (let h = 1; h <= toHeight; h++) {
    const r = await rpc<{ height: string; txs_results: TxRecord['tx_result'][] | null; finalize_block_events: RpcEvent[] | null }>(rpcUrl, 'block_results', { height: String(h) });
    assert.equal(r.height, String(h));
    let spent = 0n;
    let received = 0n;
    const results = r.txs_results ?? [];
    txs += results.length;
    for (const events of [r.finalize_block_events ?? [], ...results.map((t) => t.events ?? [])]) {
      const fee = feeRecipient(events);
      if (fee) feeRecipients.add(fee);
      for (const e of events) {
        if (e.type === 'coin_spent') {
          const amount = utruOf(attr(e, 'amount')!);
          add(attr(e, 'spender')!, -amount);
          spent += amount;
        } else if (e.type === 'coin_received') {
          const amount = utruOf(attr(e, 'amount')!);
          add(attr(e, 'receiver')!, amount);
          received += amount;
        }
      }
    }
    assert.equal(received, spent, `block ${h}: coins received (${received}) must equal coins spent (${spent})`);
  }
  for (const [address, amount] of balances) assert.ok(amount >= 0n, `${address} went negative (${amount}) in the event ledger`);
  return { balances, feeRecipients, txs };
}

/**
 * The supply invariant over REST once the chain is quiet: the balances of every account the test
 * knows, plus the fee collector, add up to the total supply, which is still the genesis total.
 * Also checks each balance against the ledger rebuilt from events. Call with no txs in flight.
 */
export async function checkSupplyInvariant(opts: { rpcUrl: string; restUrl: string; genesis: ReadonlyMap<string, bigint>; known: readonly string[] }) {
  await waitForEmptyMempool(opts.rpcUrl);
  const height = await latestHeight(opts.rpcUrl);
  const ledger = await replayLedger(opts.rpcUrl, opts.genesis, height);
  assert.ok(ledger.feeRecipients.size <= 1, `fees go to one account, saw ${[...ledger.feeRecipients].join(', ')}`);
  const feeCollector = [...ledger.feeRecipients][0];
  const accounts = [...new Set([...opts.known, ...(feeCollector ? [feeCollector] : [])])];
  // An empty block may land between reads; the state only changes with txs, and none are in flight.
  const balances = new Map<string, bigint>();
  for (const a of accounts) balances.set(a, await balanceOf(opts.restUrl, a));
  const supply = await supplyOf(opts.restUrl);
  const sum = [...balances.values()].reduce((x, y) => x + y, 0n);
  const genesisTotal = [...opts.genesis.values()].reduce((x, y) => x + y, 0n);
  assert.equal(sum, supply, `sum of balances (${accounts.length} accounts incl. fee collector ${feeCollector}) = supply`);
  assert.equal(supply, genesisTotal, 'supply is unchanged since genesis (no mint or burn)');
  for (const [address, amount] of balances) assert.equal(amount, ledger.balances.get(address) ?? 0n, `balance of ${address} matches the event ledger`);
  const unknown = [...ledger.balances].filter(([a, v]) => v !== 0n && !balances.has(a));
  assert.deepEqual(unknown, [], 'every account holding coins in the event ledger is known to the test');
  return { feeCollector, supply, balances, ledger };
}

// ---------------------------------------------------------------------------------------------
// REST

export async function restJson<T = any>(restUrl: string, path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(`${restUrl}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    throw new Error(`${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body };
}

export function postJson<T = any>(url: string, path: string, body: unknown) {
  return restJson<T>(url, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

// ---------------------------------------------------------------------------------------------
// Processes, ports, temp dirs

export function makeTempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True when nothing accepts TCP connections on 127.0.0.1:port. */
export function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Pids of live processes whose command line mentions `needle` (Linux /proc), other than this one. */
export function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(needle)) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** `node …args` from the repository root; `detached` puts it in a process group of its own (for Ctrl-C). */
export function spawnNode(args: readonly string[], env: NodeJS.ProcessEnv, options: { detached?: boolean } = {}): Spawned {
  const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** The environment for child processes, without any TRUCOM_* variable of the surrounding shell. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TRUCOM_')) env[k] = v;
  return { ...env, ...extra };
}

/** Runs `node bin/trucom.js …args` to completion. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv(), timeoutMs = 60_000) {
  const p = spawnNode([TRUCOM_CLI, ...args], env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  try {
    const { code, signal } = await p.exited;
    assert.equal(signal, null, `trucom ${args.join(' ')} was killed (${signal}) after ${timeoutMs} ms; stderr: ${p.stderr()}`);
    return { code, stdout: p.stdout(), stderr: p.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/** A cosmjs xstream-like stream. */
interface StreamLike<T> {
  addListener(l: { next: (v: T) => void; error: (e: unknown) => void; complete: () => void }): void;
  removeListener(l: { next: (v: T) => void; error: (e: unknown) => void; complete: () => void }): void;
}

/** The first event of `stream` satisfying `accept`, or a rejection after `timeoutMs`. Unsubscribes after. */
export function firstEvent<T>(stream: StreamLike<T>, what: string, accept: (v: T) => boolean = () => true, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // removing the last listener makes cosmjs unsubscribe; defer it out of the emit loop
      setImmediate(() => stream.removeListener(listener));
      fn();
    };
    const listener = {
      next: (v: T) => {
        if (accept(v)) done(() => resolve(v));
      },
      error: (e: unknown) => done(() => reject(e instanceof Error ? e : new Error(JSON.stringify(e)))),
      complete: () => done(() => reject(new Error(`stream for ${what} completed without the event`))),
    };
    const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
    stream.addListener(listener);
  });
}

/**
 * Comet38Client over a WebSocket (what `Comet38Client.connect('ws://…')` builds), with a close()
 * that really closes it. cosmjs 0.39's ReconnectingSocket reacts to its own disconnect() by
 * scheduling a reconnect (its status listener does not check `disconnected`), so a disconnected
 * client opens a new socket and then retries forever once the node is gone, keeping the test
 * process alive. close() disconnects, then cancels that reconnect.
 */
export function connectCometWebSocket(url: string): { client: Comet38Client; close(): void } {
  const rpcClient = new WebsocketClient(url, () => undefined);
  const client = Comet38Client.create(rpcClient);
  const reconnecting = (rpcClient as unknown as { socket: { reconnectTimeout: NodeJS.Timeout | null; socket: { reconnect(): void } } }).socket;
  return {
    client,
    close() {
      reconnecting.socket.reconnect = () => undefined;
      client.disconnect();
      if (reconnecting.reconnectTimeout) clearTimeout(reconnecting.reconnectTimeout);
    },
  };
}
