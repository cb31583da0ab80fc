/**
 * protobufjs decodes 64-bit integers as `Long` objects whenever the `long` package is installed,
 * whatever the generated typings say. Decoded messages go through `withNumbers`, which turns every
 * Long (nested messages, repeated fields and prototype defaults included) into a number, refusing
 * unsafe integers.
 */
interface LongLike {
  readonly low: number;
  readonly high: number;
  readonly unsigned: boolean;
}

const isLong = (v: object): v is LongLike => typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number' && typeof (v as LongLike).unsigned === 'boolean';

function longToNumber(v: LongLike): number {
  const wide = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  const n = v.unsigned ? wide : BigInt.asIntN(64, wide);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`64-bit integer ${n} is beyond 2^53`);
  return Number(n);
}

function convert(v: unknown): unknown {
  if (!v || typeof v !== 'object' || v instanceof Uint8Array) return v;
  if (isLong(v)) return longToNumber(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = convert(v[i]);
    return v;
  }
  // for…in: protobufjs keeps default values (Long zeros among them) on the prototype
  const o = v as Record<string, unknown>;
  for (const k in o) if (o[k] && typeof o[k] === 'object') o[k] = convert(o[k]);
  return v;
}

/** The decoded message with its 64-bit integers as numbers (in place). */
export const withNumbers = <T>(message: T): T => convert(message) as T;
