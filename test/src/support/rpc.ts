/** Raw CometBFT JSON-RPC calls (fetch), as a client that is not cosmjs makes them. */
import assert from 'node:assert/strict';
import { waitFor } from '@trucom/testkit';

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
