import { fromBase64, fromHex } from '@trucom/crypto';
import { RpcError } from './rpc-error.js';

/**
 * Reading JSON-RPC params the way CometBFT accepts them: integers as strings or numbers, bytes as
 * base64 (POST) or 0x-hex (URI form), optional values absent or null.
 */
export type Params = Record<string, unknown>;

export function optionalInt(params: Params, name: string): number | undefined {
  const v = params[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw RpcError.invalidParams(`${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

export function requireString(params: Params, name: string): string {
  const v = params[name];
  if (typeof v !== 'string') throw RpcError.invalidParams(`${name} is required and must be a string`);
  return v;
}

/** Bytes given as base64, or as hex with a 0x prefix (CometBFT's URI convention). */
export function requireBytes(params: Params, name: string): Uint8Array {
  const v = requireString(params, name);
  try {
    return v.startsWith('0x') || v.startsWith('0X') ? fromHex(v.slice(2)) : fromBase64(v);
  } catch {
    throw RpcError.invalidParams(`${name} must be base64 or 0x-prefixed hex`);
  }
}

/** abci_query data: hex, with or without 0x (cosmjs sends bare lower-case hex). */
export function hexBytes(params: Params, name: string): Uint8Array {
  const v = params[name];
  if (v === undefined || v === null || v === '') return new Uint8Array();
  if (typeof v !== 'string') throw RpcError.invalidParams(`${name} must be a hex string`);
  try {
    return fromHex(v.replace(/^0x/i, ''));
  } catch {
    throw RpcError.invalidParams(`${name} must be hex`);
  }
}
