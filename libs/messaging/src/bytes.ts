import { concatBytes } from '@trucom/crypto';
import { sha256 } from '@noble/hashes/sha2.js';

const utf8Encoder = new TextEncoder();
export const utf8 = (s: string): Uint8Array => utf8Encoder.encode(s);
export const fromUtf8 = (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b);

export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
export function unhex(s: string, bytes?: number, what = 'hex'): Uint8Array {
  if (!/^([0-9a-f]{2})*$/.test(s) || (bytes !== undefined && s.length !== bytes * 2)) throw new Error(`${what}: expected ${bytes ?? 'an even number of'} bytes of lower-case hex, got ${JSON.stringify(s.slice(0, 80))}`);
  return new Uint8Array(Buffer.from(s, 'hex'));
}

// base64url goes through plain base64: the browser's Buffer (npm buffer 6, the dashboard's polyfill)
// knows no 'base64url' encoding, and invite codes and envelopes must read the same in both places.
export const b64url = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
export function unb64url(s: string, what = 'base64url'): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error(`${what}: not base64url`);
  return new Uint8Array(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

/** Byte concatenation is @trucom/crypto's; re-exported under the name this library uses. */
export const concat = concatBytes;

export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export const sha256Of = (...parts: Uint8Array[]): Uint8Array => sha256(concat(...parts));

/** JSON with object keys sorted at every level and no whitespace: the one byte string a value hashes as. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
