/** The dashboard server's payment index (`GET /api/v1/payments?owner=`): what the browser cannot gather itself. */

export type PaymentKind = 'escrow_locked' | 'provider_payout' | 'bandwidth_claim' | 'refund';

export interface PaymentJson {
  height: number;
  epoch: number;
  kind: PaymentKind;
  event: string;
  dealId: number;
  /** utru */
  amount: string;
  provider?: string;
}

export interface PaymentHistory {
  owner: string;
  /** The last block the index has read: newer payments are not listed yet. */
  indexedHeight: number;
  /** Newest first. */
  payments: PaymentJson[];
}

export const KIND_LABELS: Record<PaymentKind, string> = {
  escrow_locked: 'Escrow locked',
  provider_payout: 'Provider payout',
  bandwidth_claim: 'Bandwidth claim',
  refund: 'Refund',
};

/** What happened, per market event, in words. */
export const EVENT_LABELS: Record<string, string> = {
  create_deal: 'Escrow locked for a new deal',
  extend_deal: 'Escrow added to extend a deal',
  top_up_deal: 'Bandwidth budget topped up',
  storage_payout: 'Paid from escrow to a provider for storing an epoch',
  bandwidth_claimed: 'Paid from escrow to a provider for bandwidth served',
  cancel_deal: 'Refund of a cancelled deal',
  deal_expired: 'Refund of what an expired deal did not spend',
};

export async function paymentHistory(owner: string): Promise<PaymentHistory> {
  let res: Response;
  try {
    res = await fetch(`/api/v1/payments?owner=${encodeURIComponent(owner)}`, { cache: 'no-store' });
  } catch {
    throw new Error('cannot reach the dashboard server for the payment history');
  }
  const body = (await res.json().catch(() => ({}))) as PaymentHistory & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `the payment history is unavailable (HTTP ${res.status})`);
  return body;
}

/** What left the escrow to providers (payouts and bandwidth claims) in each epoch from the first to the last one with any, oldest first. */
export function spendPerEpoch(payments: readonly PaymentJson[], maxEpochs = 60): { epoch: number; utru: bigint }[] {
  const spent = new Map<number, bigint>();
  for (const p of payments) if (p.kind === 'provider_payout' || p.kind === 'bandwidth_claim') spent.set(p.epoch, (spent.get(p.epoch) ?? 0n) + BigInt(p.amount));
  if (spent.size === 0) return [];
  const last = Math.max(...spent.keys());
  const first = Math.max(Math.min(...spent.keys()), last - maxEpochs + 1);
  return Array.from({ length: last - first + 1 }, (_, i) => ({ epoch: first + i, utru: spent.get(first + i) ?? 0n }));
}

/** The total of each kind, in utru. */
export function totalsByKind(payments: readonly PaymentJson[]): Record<PaymentKind, bigint> {
  const totals: Record<PaymentKind, bigint> = { escrow_locked: 0n, provider_payout: 0n, bandwidth_claim: 0n, refund: 0n };
  for (const p of payments) totals[p.kind] += BigInt(p.amount);
  return totals;
}
