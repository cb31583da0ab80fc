/**
 * The Cosmos SDK's LegacyDec as a bigint with 18 implied decimals ("atomics"). No floating point
 * anywhere: decimal strings are parsed digit by digit.
 */
export const DEC_PRECISION = 18;
export const ONE = 10n ** 18n;

/**
 * A human decimal ("0.05", "1", "0.100000000000000000") → atomics. Used for genesis and params,
 * where "1" means one.
 */
export function parseDec(s: string): bigint {
  const m = /^([0-9]+)(?:\.([0-9]{1,18}))?$/.exec(s.trim());
  if (!m) throw new Error(`invalid decimal ${JSON.stringify(s)}`);
  return BigInt(m[1]!) * ONE + BigInt((m[2] ?? '').padEnd(DEC_PRECISION, '0'));
}

/**
 * A Dec as protobuf carries it (gogoproto LegacyDec marshals the atomics integer, e.g. 0.1 →
 * "100000000000000000"). A string with a decimal point is read as a human decimal, leniently.
 */
export function decFromWire(s: string): bigint {
  if (s.includes('.')) return parseDec(s);
  if (!/^[0-9]{1,80}$/.test(s)) throw new Error(`invalid decimal ${JSON.stringify(s)}`);
  return BigInt(s);
}

export const decToWire = (d: bigint): string => d.toString();

/** LegacyDec.String(): "0.100000000000000000". */
export function decString(d: bigint): string {
  const neg = d < 0n;
  const a = neg ? -d : d;
  return `${neg ? '-' : ''}${a / ONE}.${(a % ONE).toString().padStart(DEC_PRECISION, '0')}`;
}

/** a × b for two Decs, truncated (LegacyDec.MulTruncate). */
export const mulDec = (a: bigint, b: bigint): bigint => (a * b) / ONE;

/** Rounds a Dec to an integer, half to even (LegacyDec.RoundInt64, chopPrecisionAndRound). */
export function roundDec(d: bigint): bigint {
  const q = d / ONE;
  const r = d % ONE;
  const half = ONE / 2n;
  if (r < half) return q;
  if (r > half) return q + 1n;
  return q % 2n === 0n ? q : q + 1n;
}
