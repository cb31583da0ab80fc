import type { Logger } from 'pino';
import { RpcError } from './rpc-error.js';
import { RpcMethods } from './rpc-methods.js';
import type { Params } from './params.js';

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: string };
}

export const MAX_BATCH = 1000;

/**
 * JSON-RPC 2.0 dispatch: one request or a batch (an array), named or positional params. Every
 * failure becomes an error object in the response; nothing a client sends can crash the node.
 */
export class JsonRpcDispatcher {
  constructor(
    private readonly rpc: RpcMethods,
    private readonly log: Logger,
  ) {}

  get methodNames(): string[] {
    return Object.keys(this.rpc.methods).sort();
  }

  /** Handles a raw body; returns what to send back. */
  async handleBody(body: string): Promise<JsonRpcResponse | JsonRpcResponse[]> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      return errorResponse(null, RpcError.parse((err as Error).message));
    }
    if (Array.isArray(parsed)) {
      if (parsed.length === 0) return errorResponse(null, RpcError.invalidRequest('empty batch'));
      if (parsed.length > MAX_BATCH) return errorResponse(null, RpcError.invalidRequest(`batch of ${parsed.length} requests exceeds ${MAX_BATCH}`));
      return Promise.all(parsed.map((r) => this.handle(r)));
    }
    return this.handle(parsed);
  }

  async handle(request: unknown): Promise<JsonRpcResponse> {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return errorResponse(null, RpcError.invalidRequest('request must be a JSON object'));
    }
    const { id = null, method, params, jsonrpc } = request as Record<string, unknown>;
    if (jsonrpc !== '2.0') return errorResponse(id, RpcError.invalidRequest('jsonrpc must be "2.0"'));
    if (typeof method !== 'string') return errorResponse(id, RpcError.invalidRequest('method must be a string'));
    try {
      return { jsonrpc: '2.0', id, result: await this.call(method, params) };
    } catch (err) {
      if (err instanceof RpcError) return errorResponse(id, err);
      this.log.error({ err, method }, 'rpc method failed');
      return errorResponse(id, RpcError.internal(err instanceof Error ? err.message : String(err)));
    }
  }

  async call(method: string, params: unknown): Promise<unknown> {
    const fn = Object.hasOwn(this.rpc.methods, method) ? this.rpc.methods[method] : undefined;
    if (!fn) throw RpcError.methodNotFound(method);
    return fn(normalizeParams(method, params));
  }
}

function normalizeParams(method: string, params: unknown): Params {
  if (params === undefined || params === null) return {};
  if (Array.isArray(params)) {
    const names = RpcMethods.positional[method] ?? [];
    if (params.length > names.length) throw RpcError.invalidParams(`${method} takes at most ${names.length} positional params`);
    return Object.fromEntries(params.map((v, i) => [names[i]!, v]));
  }
  if (typeof params !== 'object') throw RpcError.invalidParams('params must be an object or an array');
  return params as Params;
}

export function errorResponse(id: unknown, err: RpcError): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: { code: err.code, message: err.message, ...(err.data !== undefined ? { data: err.data } : {}) } };
}

/**
 * CometBFT's URI form: GET /block?height=5, /tx?hash=0xAB…, /abci_query?path="/…"&data=0x…
 * String arguments may be wrapped in double quotes; they are unwrapped here.
 */
export function uriParams(query: Record<string, unknown>): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(query)) {
    const s = Array.isArray(v) ? v.at(-1) : v;
    out[k] = typeof s === 'string' && s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
  }
  return out;
}
