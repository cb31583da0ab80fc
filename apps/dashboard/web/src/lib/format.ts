export const UTRU_PER_TRU = 1_000_000n;

/** 1234567 utru → "1.234567 TRU" (trailing zeros dropped, thousands grouped). */
export function formatTru(utru: bigint | string | number | undefined | null): string {
  const v = BigInt(utru ?? 0);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const whole = (abs / UTRU_PER_TRU).toLocaleString('en-US');
  const frac = (abs % UTRU_PER_TRU).toString().padStart(6, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''} TRU`;
}

/** "1.5" TRU → 1500000n utru; throws a plain message on anything else. */
export function parseTru(text: string): bigint {
  const m = /^\s*(\d{1,12})(?:\.(\d{1,6}))?\s*$/.exec(text);
  if (!m) throw new Error('Enter an amount in TRU, like 1.5 (at most 6 decimals).');
  const v = BigInt(m[1]!) * UTRU_PER_TRU + BigInt((m[2] ?? '').padEnd(6, '0'));
  if (v === 0n) throw new Error('The amount must be more than zero.');
  return v;
}

export function formatBytes(n: number | bigint | string): string {
  let v = Number(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function shortAddress(a: string): string {
  return a.length > 20 ? `${a.slice(0, 10)}…${a.slice(-6)}` : a;
}
