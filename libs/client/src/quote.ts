import type { trucom } from '@trucom/proto';

type Provider = trucom.market.v1.IProvider;

export const GIB = 1024n ** 3n;

export interface Quote {
  /** Price per GiB per epoch the deal will carry (the cap every assigned provider is under). */
  readonly maxPrice: bigint;
  readonly chargedGiB: bigint;
  readonly storage: bigint;
  readonly bandwidth: bigint;
  readonly total: bigint;
  readonly eligible: number;
}

/**
 * What a deal will lock in escrow, as the chain computes it: max price × GiB (rounded up) × replicas ×
 * epochs, plus the bandwidth budget. The default max price is the `replicas`-th cheapest price among
 * active providers with room for the content, the lowest cap that lets the chain assign every replica.
 */
export function quoteDeal(providers: readonly Provider[], size: bigint, replicas: number, epochs: number, bandwidth: bigint, maxPrice?: bigint): Quote {
  const room = providers.filter((p) => p.status === 'active' && BigInt(p.capacity ?? 0) - BigInt(p.used ?? 0) >= size);
  const prices = room.map((p) => BigInt(p.price ?? '0')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (prices.length < replicas) throw new Error(`${replicas} replicas need ${replicas} providers with ${size} free bytes; the chain has ${prices.length}`);
  const cap = maxPrice ?? prices[replicas - 1]!;
  const eligible = prices.filter((p) => p <= cap).length;
  if (eligible < replicas) throw new Error(`only ${eligible} providers charge at most ${cap}utru per GiB per epoch; ${replicas} are needed`);
  const chargedGiB = size === 0n ? 1n : (size + GIB - 1n) / GIB;
  const storage = cap * chargedGiB * BigInt(replicas) * BigInt(epochs);
  return { maxPrice: cap, chargedGiB, storage, bandwidth, total: storage + bandwidth, eligible };
}

/** What a deal covers: the uploaded root and how it is to be kept. */
export interface DealContent {
  readonly cid: string;
  readonly size: bigint;
  readonly profile: string;
  readonly kind: string;
}

export interface DealTerms {
  readonly replicas: number;
  readonly epochs: number;
  readonly bandwidth: bigint;
  readonly maxPrice?: bigint;
}

/** The MsgCreateDeal for `content` on `terms` at the quote's price cap (what the CLI and the dashboard sign). */
export function createDealMessage(owner: string, content: DealContent, terms: DealTerms, quote: Quote): { typeUrl: string; value: Record<string, unknown> } {
  return {
    typeUrl: '/trucom.market.v1.MsgCreateDeal',
    value: { owner, cid: content.cid, size: Number(content.size), profile: content.profile, kind: content.kind, replicas: terms.replicas, duration: terms.epochs, maxPrice: String(quote.maxPrice), bandwidthBudget: String(terms.bandwidth) },
  };
}
