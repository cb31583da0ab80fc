import type { Invariant } from '@trucom/chain';
import { BALANCE_PREFIX } from './keys.js';
import { totalSupply } from './queries.js';

const text = new TextDecoder();

/** Total supply of every denom equals the sum of all balances of it (the SDK's TotalSupply invariant). */
export const totalSupplyInvariant: Invariant = async (ctx) => {
  const sums = new Map<string, bigint>();
  for await (const [key, value] of ctx.store.iterate(BALANCE_PREFIX)) {
    const denom = key.slice(key.lastIndexOf('/') + 1);
    sums.set(denom, (sums.get(denom) ?? 0n) + BigInt(text.decode(value)));
  }
  const supply = await totalSupply(ctx.store);
  const problems: string[] = [];
  for (const { denom, amount } of supply) {
    if (sums.get(denom) !== BigInt(amount)) problems.push(`${denom}: supply ${amount}, balances sum to ${sums.get(denom) ?? 0n}`);
    sums.delete(denom);
  }
  for (const [denom, sum] of sums) problems.push(`${denom}: balances sum to ${sum} but supply is 0`);
  return problems.length ? problems.join('; ') : undefined;
};
