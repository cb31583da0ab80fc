import type { CID } from 'multiformats/cid';
import type { TrucomQueries } from '@trucom/client';
import type { trucom } from '@trucom/proto';
import type { PaymentVerdict } from '../serving/content-gateway.js';
import { TtlCache } from './ttl-cache.js';

type Deal = trucom.market.v1.IDeal;

/** How long a payment verdict is trusted: a cancel or an expiry shows within this time. */
export const VERDICT_TTL_MS = 2_000;

/**
 * Whether a CID may be served: some deal for it, or for a held DAG that contains it, is active on
 * chain. Otherwise 402 naming the most recent deal and why it stopped, or naming no deal when this
 * gateway holds bytes nobody pays for.
 */
export class PaymentBook {
  private readonly cache = new TtlCache<PaymentVerdict>(VERDICT_TTL_MS);

  constructor(
    private readonly chain: Pick<TrucomQueries, 'dealsOf'>,
    private readonly holds: (cid: CID) => Promise<boolean>,
    /** Roots of the DAGs held here that contain a CID (a block inside a paid site is paid for by the site's deal). */
    private readonly rootsHolding: (cid: CID) => CID[] = () => [],
  ) {}

  verdict(cid: CID): Promise<PaymentVerdict> {
    return this.cache.get(cid.toString(), () => this.lookup(cid));
  }

  private async lookup(cid: CID): Promise<PaymentVerdict> {
    const { deals } = await this.chain.dealsOf({ cid: cid.toString() });
    const own = verdictFor(deals ?? [], await this.holds(cid));
    if (own.kind === 'paid') return own;
    for (const root of this.rootsHolding(cid)) {
      if (root.equals(cid)) continue;
      const inside = await this.verdict(root);
      if (inside.kind === 'paid') return inside;
    }
    return own;
  }
}

/** The pure rule behind PaymentBook: an active deal with bandwidth budget left pays for serving. */
export function verdictFor(deals: readonly Deal[], heldHere: boolean): PaymentVerdict {
  const byNewest = [...deals].sort((a, b) => Number(b.id ?? 0) - Number(a.id ?? 0));
  const active = byNewest.filter((d) => d.status === 'active');
  const funded = active.find((d) => BigInt(d.bandwidthUsed || '0') < BigInt(d.bandwidthBudget || '0'));
  if (funded) return { kind: 'paid', dealId: String(funded.id) };
  if (active[0]) return { kind: 'unpaid', dealId: String(active[0].id), reason: `deal ${active[0].id} has spent its bandwidth budget (${active[0].bandwidthBudget}utru); top it up with trucom deal topup ${active[0].id} --bandwidth <utru>` };
  const last = byNewest[0];
  if (last) {
    const when = last.status === 'expired' ? `, funded until epoch ${last.fundedUntilEpoch}` : '';
    return { kind: 'unpaid', dealId: String(last.id), reason: `deal ${last.id} is ${last.status}${when}; top it up or create a new deal` };
  }
  if (heldHere) return { kind: 'unpaid', reason: 'no storage deal pays for this content yet' };
  return { kind: 'unknown' };
}
