import { toHex } from '@trucom/crypto';
import type { Deal, Provider } from '@trucom/market';
import type { trucom } from '@trucom/proto';

/**
 * JSON shapes of the market and sites REST routes: snake_case; ids, sizes, heights and epochs as
 * numbers; amounts (utru) as decimal strings.
 */
export function providerJson(p: Provider) {
  return {
    address: p.address,
    endpoint: p.endpoint,
    status: p.status,
    capacity: p.capacity,
    used: p.used,
    price: p.price.toString(),
    bandwidth_price: p.bandwidthPrice.toString(),
    collateral: p.collateral.toString(),
    slashed: p.slashed.toString(),
    live_replicas: p.liveReplicas,
    registered_height: p.registeredHeight,
  };
}

export function dealJson(d: Deal, endpoints: Record<string, string>, currentEpoch: number) {
  return {
    id: d.id,
    owner: d.owner,
    cid: d.cid,
    size: d.size,
    kind: d.kind,
    profile: d.profile,
    status: d.status,
    price: d.price.toString(),
    replica_count: d.replicaCount,
    replicas: d.replicas.map((r) => ({
      provider: r.provider,
      endpoint: endpoints[r.provider] ?? '',
      status: r.status,
      last_proven_epoch: r.lastProvenEpoch,
      assigned_epoch: r.assignedEpoch,
      missed: r.missed,
      failed_epoch: r.failedEpoch,
      price: r.price.toString(),
      bandwidth_price: r.bandwidthPrice.toString(),
      earned: r.earned.toString(),
    })),
    escrow: d.escrow.toString(),
    locked: d.locked.toString(),
    paid: d.paid.toString(),
    refunded: d.refunded.toString(),
    bandwidth: { budget: d.bandwidthBudget.toString(), used: d.bandwidthUsed.toString() },
    created_height: d.createdHeight,
    created_epoch: d.createdEpoch,
    start_epoch: d.startEpoch,
    funded_until_epoch: d.fundedUntilEpoch,
    settled_epoch: d.settledEpoch,
    closed_epoch: d.closedEpoch,
    current_epoch: currentEpoch,
  };
}

export function challengeJson(c: trucom.market.v1.IChallenge) {
  return { deal_id: c.dealId ?? 0, cid: c.cid ?? '', seed: toHex(c.seed ?? new Uint8Array()), epoch: c.epoch ?? 0, proven: c.proven ?? false, status: c.status ?? '' };
}

export function siteJson(s: trucom.sites.v1.ISite) {
  return { name: s.name ?? '', owner: s.owner ?? '', root_cid: s.rootCid ?? '', deal_id: s.dealId ?? 0, created_height: s.createdHeight ?? 0, updated_height: s.updatedHeight ?? 0 };
}
