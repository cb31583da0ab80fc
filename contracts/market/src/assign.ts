import { sha256 } from '@trucom/crypto';
import type { Provider } from './types.js';

export interface AssignmentNeed {
  readonly size: number;
  readonly maxPrice: bigint;
  readonly minCollateral: bigint;
  /** Providers that may not be chosen (already on the deal, or failed on it). */
  readonly exclude: ReadonlySet<string>;
}

/** Whether a provider may take a new replica of this deal. */
export function eligible(p: Provider, need: AssignmentNeed): boolean {
  return p.status === 'active' && !need.exclude.has(p.address) && p.price <= need.maxPrice && p.capacity - p.used >= need.size && p.collateral >= need.minCollateral;
}

/** Selection weight: free capacity × (collateral + 1), so both more room and more at stake draw more deals. */
export const weight = (p: Provider): bigint => BigInt(p.capacity - p.used) * (p.collateral + 1n);

const u32 = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const toBigInt = (b: Uint8Array) => BigInt('0x' + Buffer.from(b).toString('hex'));

/**
 * Draws `count` distinct providers from `candidates` (sorted by address), weighted, without
 * replacement: draw i takes sha256(seed ‖ i) modulo the remaining total weight and walks the
 * cumulative weights. Deterministic in (seed, candidates); returns fewer when too few are eligible.
 */
export function selectProviders(candidates: readonly Provider[], need: AssignmentNeed, count: number, seed: Uint8Array): Provider[] {
  const pool = candidates.filter((p) => eligible(p, need));
  const chosen: Provider[] = [];
  for (let i = 0; i < count && pool.length > 0; i++) {
    const total = pool.reduce((sum, p) => sum + weight(p), 0n);
    let r = toBigInt(sha256(seed, u32(i))) % total;
    let k = 0;
    while (r >= weight(pool[k]!)) r -= weight(pool[k++]!);
    chosen.push(pool[k]!);
    pool.splice(k, 1);
  }
  return chosen;
}
