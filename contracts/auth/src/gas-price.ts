import { ErrInvalidCoins } from '@trucom/chain';

/** A decimal gas price such as "0.01utru", kept as an exact fraction. */
export interface GasPrice {
  readonly denom: string;
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export function parseGasPrice(s: string): GasPrice {
  const m = /^([0-9]+)(?:\.([0-9]{1,18}))?([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(s.trim());
  if (!m) throw ErrInvalidCoins(`invalid gas price ${JSON.stringify(s)}`);
  const frac = m[2] ?? '';
  return { denom: m[3]!, numerator: BigInt(m[1]! + frac), denominator: 10n ** BigInt(frac.length) };
}

/** The least fee (rounded up) that pays `gas` at this price. */
export function requiredFee(price: GasPrice, gas: bigint): bigint {
  return (price.numerator * gas + price.denominator - 1n) / price.denominator;
}

export function gasPriceString(p: GasPrice): string {
  const whole = p.numerator / p.denominator;
  const frac = (p.numerator % p.denominator).toString().padStart(p.denominator.toString().length - 1, '0').replace(/0+$/, '');
  return `${whole}${frac ? '.' + frac : ''}${p.denom}`;
}
