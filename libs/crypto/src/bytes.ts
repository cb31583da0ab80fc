/** Small byte helpers shared by every package (hex is upper-case where CometBFT prints hashes). */

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function toUpperHex(b: Uint8Array): string {
  return toHex(b).toUpperCase();
}

export function fromHex(s: string): Uint8Array {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new Error(`invalid hex string`);
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

export function fromBase64(s: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) throw new Error('invalid base64 string');
  return new Uint8Array(Buffer.from(s, 'base64'));
}

const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;

/**
 * A string that stands for these bytes as a Map key (one latin1 char per byte), read in place:
 * `Buffer.from(bytes).toString('latin1')` copied the bytes into a new Buffer first.
 */
export function bytesKey(b: Uint8Array): string {
  return latin1Slice.call(b, 0, b.length);
}

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of a string. State values are mostly short ASCII (amounts, counters): for those a plain
 * loop is about ten times cheaper than TextEncoder.encode, whose fixed cost per call (a fresh
 * ArrayBuffer) dominated writing a balance.
 */
export function utf8(s: string): Uint8Array {
  if (s.length > 64) return encoder.encode(s);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(s);
    out[i] = c;
  }
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a === b || (a.length === b.length && Buffer.compare(a, b) === 0);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
