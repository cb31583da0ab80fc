import { ErrInvalidCoins } from './errors.js';

/** Token amounts: integers only (bigint in memory, decimal strings on the wire), as in the Cosmos SDK. */
export interface Coin {
  readonly denom: string;
  readonly amount: bigint;
}

export interface WireCoin {
  denom: string;
  amount: string;
}

const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const AMOUNT = /^[0-9]{1,77}$/;

export function isValidDenom(denom: string): boolean {
  return DENOM.test(denom);
}

export function coinFromWire(c: WireCoin): Coin {
  if (!isValidDenom(c.denom)) throw ErrInvalidCoins(`invalid denom ${JSON.stringify(c.denom)}`);
  if (!AMOUNT.test(c.amount)) throw ErrInvalidCoins(`invalid amount ${JSON.stringify(c.amount)} of ${c.denom}`);
  return { denom: c.denom, amount: BigInt(c.amount) };
}

export function coinToWire(c: Coin): WireCoin {
  return { denom: c.denom, amount: c.amount.toString() };
}

/**
 * A valid Coins set: sorted by denom, no duplicates, every amount positive (SDK Coins.Validate).
 * Messages carry such sets; anything else is rejected rather than normalised.
 */
export function coinsFromWire(list: readonly WireCoin[], { allowEmpty = true } = {}): Coin[] {
  const coins = list.map(coinFromWire);
  if (!allowEmpty && coins.length === 0) throw ErrInvalidCoins('empty coins');
  for (let i = 0; i < coins.length; i++) {
    if (coins[i]!.amount <= 0n) throw ErrInvalidCoins(`non-positive amount ${coinString(coins[i]!)}`);
    if (i > 0 && coins[i - 1]!.denom >= coins[i]!.denom) throw ErrInvalidCoins('coins are not sorted by denom or have duplicates');
  }
  return coins;
}

export function coinString(c: Coin): string {
  return `${c.amount}${c.denom}`;
}

/** SDK Coins.String(): "1234utru,5stake"; empty set is "". */
export function coinsString(coins: readonly Coin[]): string {
  return coins.map(coinString).join(',');
}

/** Parses "1000utru" or "1000utru,5stake" (CLI and config input). */
export function parseCoins(s: string): Coin[] {
  if (s.trim() === '') return [];
  const parsed = s.split(',').map((part) => {
    const m = /^\s*([0-9]+)\s*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})\s*$/.exec(part);
    if (!m) throw ErrInvalidCoins(`cannot parse coin ${JSON.stringify(part)}`);
    return { denom: m[2]!, amount: BigInt(m[1]!) };
  });
  return normalizeCoins(parsed);
}

/** Sums duplicates, drops zeros and sorts by denom. */
export function normalizeCoins(coins: readonly Coin[]): Coin[] {
  const sums = new Map<string, bigint>();
  for (const c of coins) sums.set(c.denom, (sums.get(c.denom) ?? 0n) + c.amount);
  return [...sums.entries()]
    .filter(([, a]) => a !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount }));
}

export function addCoins(a: readonly Coin[], b: readonly Coin[]): Coin[] {
  return normalizeCoins([...a, ...b]);
}

export function amountOf(coins: readonly Coin[], denom: string): bigint {
  return coins.find((c) => c.denom === denom)?.amount ?? 0n;
}
