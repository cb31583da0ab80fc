import { toBase64 } from '@trucom/crypto';

/** How a command prints its result: `text` for people, `json` (one document on stdout) for scripts. */
export type OutputFormat = 'text' | 'json';

export function parseOutputFormat(value: string): OutputFormat {
  if (value === 'text' || value === 'json') return value;
  throw new Error(`--output must be "text" or "json", got ${JSON.stringify(value)}`);
}

/**
 * JSON that survives the types our clients return: bigint → decimal string, bytes → base64 (the
 * protobuf JSON mapping), Dates → RFC 3339 (their own toJSON). Pretty-printed, newline-terminated.
 */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, jsonReplacer, 2)}\n`;
}

function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  // Buffer.toJSON runs before the replacer, so look at the holder's raw property for bytes.
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Uint8Array) return toBase64(raw);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export type Field = readonly [label: string, value: string | number | bigint | null | undefined];

/** `label: value` lines with the values aligned; fields without a value are left out. */
export function formatFields(fields: readonly Field[]): string {
  const present = fields.filter(([, v]) => v !== undefined && v !== null);
  const width = Math.max(0, ...present.map(([label]) => label.length + 1));
  return present.map(([label, value]) => `${`${label}:`.padEnd(width)} ${String(value)}`.trimEnd() + '\n').join('');
}

/** A plain table with a header row; columns are padded to their widest cell. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ') + '\n';
  return line(headers) + rows.map(line).join('');
}

export interface CoinLike {
  readonly denom: string;
  readonly amount: string;
}

const MICRO = 1_000_000n;

/** `1500000utru (1.5 TRU)`; other denoms as `<amount><denom>`. */
export function formatCoin(coin: CoinLike): string {
  if (coin.denom !== 'utru' || !/^\d+$/.test(coin.amount)) return `${coin.amount}${coin.denom}`;
  const amount = BigInt(coin.amount);
  const fraction = (amount % MICRO).toString().padStart(6, '0').replace(/0+$/, '');
  return `${coin.amount}utru (${amount / MICRO}${fraction ? `.${fraction}` : ''} TRU)`;
}

export function formatCoins(coins: readonly CoinLike[]): string {
  return coins.length === 0 ? '(none)' : coins.map(formatCoin).join(', ');
}

/** Where a command writes; tests pass their own. */
export interface Writer {
  write(text: string): unknown;
}

/** Prints `data` as JSON, or the text rendering of it. */
export function emit<T>(format: OutputFormat, data: T, text: (data: T) => string, out: Writer = process.stdout): void {
  out.write(format === 'json' ? toJson(data) : text(data));
}
