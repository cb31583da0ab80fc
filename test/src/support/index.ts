/**
 * Helpers shared by the cross-process tests: raw JSON-RPC and REST calls, the supply invariant
 * (an independent ledger rebuilt from block events, plus REST balances = supply), cosmjs stream and
 * WebSocket helpers, child processes / temp directories that are always cleaned up, a devnet in a
 * temp home, raw HTTP requests (any path, any Host header), and encrypted-stream helpers (test videos,
 * signed key requests, Chromium with a wallet).
 */
export * from './constants.js';
export * from './rpc.js';
export * from './rest.js';
export * from './ledger.js';
export * from './processes.js';
export * from './cosmjs.js';
export * from './devnet.js';
export * from './http.js';
export * from './streams.js';
