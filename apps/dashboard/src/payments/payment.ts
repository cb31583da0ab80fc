import { epochOf } from '@trucom/market';

/** The four kinds of hosting payment a deal owner sees (DESIGN §4: escrow, payouts, bandwidth, refunds). */
export type PaymentKind = 'escrow_locked' | 'provider_payout' | 'bandwidth_claim' | 'refund';

/** One movement of a deal's money, as the market module reported it in a block. */
export interface Payment {
  readonly height: number;
  readonly epoch: number;
  readonly kind: PaymentKind;
  /** The market event it came from: create_deal, extend_deal, top_up_deal, storage_payout, bandwidth_claimed, cancel_deal, deal_expired. */
  readonly event: string;
  readonly dealId: number;
  /** utru, as a decimal string (JSON has no bigint). */
  readonly amount: string;
  /** The provider paid (payouts and bandwidth claims). */
  readonly provider?: string;
  /** The deal's owner when the event names it (create, cancel, expiry); payouts and claims name only the deal. */
  readonly owner?: string;
}

export interface AbciEvent {
  readonly type: string;
  readonly attributes: readonly { readonly key: string; readonly value: string }[];
}

/** What `block_results` returns that matters here. */
export interface BlockResults {
  readonly height: string;
  readonly txs_results: readonly { readonly code: number; readonly events: readonly AbciEvent[] }[] | null;
  readonly finalize_block_events: readonly AbciEvent[] | null;
}

const KINDS: Record<string, PaymentKind> = {
  create_deal: 'escrow_locked',
  extend_deal: 'escrow_locked',
  top_up_deal: 'escrow_locked',
  storage_payout: 'provider_payout',
  bandwidth_claimed: 'bandwidth_claim',
  cancel_deal: 'refund',
  deal_expired: 'refund',
};

/** `123utru` → `123`; anything else (another denom, no number) is not a payment we can show. */
function utru(value: string | undefined, denom: string): string | undefined {
  const m = /^(\d+)([a-z][a-z0-9/]*)$/.exec(value ?? '');
  return m && m[2] === denom ? BigInt(m[1]!).toString() : undefined;
}

/**
 * The market payments of one block, in the order the chain emitted them: the successful txs' events
 * first (a failed tx moved no money), then the block's own (epoch settlement: payouts, expiries).
 * Pure: the indexer stores what this returns.
 */
export function paymentsOfBlock(results: BlockResults, epochBlocks: number, denom = 'utru'): Payment[] {
  const height = Number(results.height);
  const events = [...(results.txs_results ?? []).filter((t) => t.code === 0).flatMap((t) => t.events), ...(results.finalize_block_events ?? [])];
  const out: Payment[] = [];
  for (const ev of events) {
    const kind = KINDS[ev.type];
    if (!kind) continue;
    const a = Object.fromEntries(ev.attributes.map((x) => [x.key, x.value]));
    const amount = utru(a.amount, denom);
    const dealId = Number(a.deal_id);
    if (amount === undefined || !Number.isSafeInteger(dealId)) continue;
    // a payout names the epoch it pays for (settled in that epoch's last block); the rest happen at their height
    const epoch = a.epoch !== undefined && /^\d+$/.test(a.epoch) ? Number(a.epoch) : epochOf(height, epochBlocks);
    out.push({ height, epoch, kind, event: ev.type, dealId, amount, ...(a.provider ? { provider: a.provider } : {}), ...(a.owner ? { owner: a.owner } : {}) });
  }
  return out;
}
