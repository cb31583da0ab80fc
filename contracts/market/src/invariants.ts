import type { Invariant } from '@trucom/chain';
import type { MarketKeeper } from './keeper.js';
import { PROVIDER_PREFIX } from './keys.js';
import { COLLATERAL_MODULE, ESCROW_MODULE } from './params.js';
import { allDeals } from './queries.js';
import { decodeProvider, isLive } from './types.js';

/**
 * Per deal: escrow ≥ 0 and escrow = locked − paid − refunded; a running deal still holds its unpaid
 * storage (price × GiB × replicas × unsettled funded epochs) plus its unused bandwidth budget; a
 * closed deal holds nothing. The escrow module account holds exactly the sum.
 */
export function escrowInvariant(keeper: MarketKeeper): Invariant {
  return async (ctx) => {
    const problems: string[] = [];
    let total = 0n;
    for (const d of await allDeals(ctx.store)) {
      total += d.escrow;
      if (d.escrow < 0n) problems.push(`deal ${d.id}: negative escrow ${d.escrow}`);
      if (d.escrow !== d.locked - d.paid - d.refunded) problems.push(`deal ${d.id}: escrow ${d.escrow} != locked ${d.locked} - paid ${d.paid} - refunded ${d.refunded}`);
      if (d.bandwidthUsed > d.bandwidthBudget) problems.push(`deal ${d.id}: bandwidth used ${d.bandwidthUsed} exceeds budget ${d.bandwidthBudget}`);
      if (d.status === 'active') {
        const owed = keeper.epochCost(d) * BigInt(Math.max(0, d.fundedUntilEpoch - d.settledEpoch)) + (d.bandwidthBudget - d.bandwidthUsed);
        if (d.escrow < owed) problems.push(`deal ${d.id}: escrow ${d.escrow} does not cover ${owed} still owed`);
      } else if (d.escrow !== 0n) problems.push(`deal ${d.id}: ${d.status} but escrow ${d.escrow}`);
    }
    const held = keeper.moduleBalance(ctx.store, ESCROW_MODULE);
    if (held !== total) problems.push(`${ESCROW_MODULE} holds ${held}, deals' escrow sums to ${total}`);
    return problems.length ? problems.join('; ') : undefined;
  };
}

/**
 * Providers: the collateral module account holds exactly their collateral; each provider's used
 * bytes and live-replica count match the live replicas of running deals.
 */
export function providersInvariant(keeper: MarketKeeper): Invariant {
  return async (ctx) => {
    const problems: string[] = [];
    const used = new Map<string, { bytes: number; count: number }>();
    for (const d of await allDeals(ctx.store)) {
      if (d.status !== 'active') continue;
      const live = d.replicas.filter(isLive);
      if (new Set(d.replicas.map((r) => r.provider)).size !== d.replicas.length) problems.push(`deal ${d.id}: a provider appears twice`);
      if (live.length > d.replicaCount) problems.push(`deal ${d.id}: ${live.length} live replicas for ${d.replicaCount} wanted`);
      for (const r of live) {
        const u = used.get(r.provider) ?? { bytes: 0, count: 0 };
        used.set(r.provider, { bytes: u.bytes + d.size, count: u.count + 1 });
      }
    }
    let collateral = 0n;
    for await (const [, value] of ctx.store.iterate(PROVIDER_PREFIX)) {
      const p = decodeProvider(value);
      collateral += p.collateral;
      const u = used.get(p.address) ?? { bytes: 0, count: 0 };
      if (p.used !== u.bytes || p.liveReplicas !== u.count) problems.push(`provider ${p.address}: used ${p.used}/${p.liveReplicas} replicas, deals say ${u.bytes}/${u.count}`);
      if (p.used > p.capacity) problems.push(`provider ${p.address}: used ${p.used} exceeds capacity ${p.capacity}`);
      if (p.collateral < 0n) problems.push(`provider ${p.address}: negative collateral`);
    }
    const held = keeper.moduleBalance(ctx.store, COLLATERAL_MODULE);
    if (held !== collateral) problems.push(`${COLLATERAL_MODULE} holds ${held}, providers' collateral sums to ${collateral}`);
    return problems.length ? problems.join('; ') : undefined;
  };
}
