import { trucom } from '@trucom/proto';

const pb = trucom.market.v1;

export const DEAL_KINDS = ['site', 'stream', 'blob'] as const;
export type DealKind = (typeof DEAL_KINDS)[number];
export type DealStatus = 'active' | 'expired' | 'cancelled';
export type ProviderStatus = 'active' | 'exiting' | 'exited';
/** active: proving; faulty: missed its latest epoch(s); repairing: assigned by repair, not yet proven; failed: dropped. */
export type ReplicaStatus = 'active' | 'faulty' | 'repairing' | 'failed';

/** A storage provider as the keeper works with it (amounts in the market denom). */
export interface Provider {
  address: string;
  endpoint: string;
  capacity: number;
  used: number;
  price: bigint;
  bandwidthPrice: bigint;
  collateral: bigint;
  status: ProviderStatus;
  liveReplicas: number;
  registeredHeight: number;
  slashed: bigint;
}

/** One (deal, provider) pair. */
export interface Replica {
  provider: string;
  status: ReplicaStatus;
  assignedEpoch: number;
  lastProvenEpoch: number;
  missed: number;
  price: bigint;
  bandwidthPrice: bigint;
  lastClaimPeriod: number;
  earned: bigint;
  failedEpoch: number;
}

export interface Deal {
  id: number;
  owner: string;
  cid: string;
  size: number;
  profile: string;
  kind: DealKind;
  replicaCount: number;
  /** Max price per GiB per epoch; the escrow is locked at it. */
  price: bigint;
  status: DealStatus;
  createdHeight: number;
  createdEpoch: number;
  startEpoch: number;
  fundedUntilEpoch: number;
  settledEpoch: number;
  closedEpoch: number;
  locked: bigint;
  paid: bigint;
  refunded: bigint;
  escrow: bigint;
  bandwidthBudget: bigint;
  bandwidthUsed: bigint;
  replicas: Replica[];
}

export const isLive = (r: Replica) => r.status !== 'failed';

export function providerToProto(p: Provider): trucom.market.v1.Provider {
  return pb.Provider.create({
    ...p,
    price: p.price.toString(),
    bandwidthPrice: p.bandwidthPrice.toString(),
    collateral: p.collateral.toString(),
    slashed: p.slashed.toString(),
  });
}

export function providerFromProto(p: trucom.market.v1.IProvider): Provider {
  return {
    address: p.address ?? '',
    endpoint: p.endpoint ?? '',
    capacity: p.capacity ?? 0,
    used: p.used ?? 0,
    price: BigInt(p.price || '0'),
    bandwidthPrice: BigInt(p.bandwidthPrice || '0'),
    collateral: BigInt(p.collateral || '0'),
    status: (p.status || 'active') as ProviderStatus,
    liveReplicas: p.liveReplicas ?? 0,
    registeredHeight: p.registeredHeight ?? 0,
    slashed: BigInt(p.slashed || '0'),
  };
}

function replicaToProto(r: Replica): trucom.market.v1.IReplica {
  return { ...r, price: r.price.toString(), bandwidthPrice: r.bandwidthPrice.toString(), earned: r.earned.toString() };
}

function replicaFromProto(r: trucom.market.v1.IReplica): Replica {
  return {
    provider: r.provider ?? '',
    status: (r.status || 'active') as ReplicaStatus,
    assignedEpoch: r.assignedEpoch ?? 0,
    lastProvenEpoch: r.lastProvenEpoch ?? 0,
    missed: r.missed ?? 0,
    price: BigInt(r.price || '0'),
    bandwidthPrice: BigInt(r.bandwidthPrice || '0'),
    lastClaimPeriod: r.lastClaimPeriod ?? 0,
    earned: BigInt(r.earned || '0'),
    failedEpoch: r.failedEpoch ?? 0,
  };
}

export function dealToProto(d: Deal): trucom.market.v1.Deal {
  return pb.Deal.create({
    ...d,
    price: d.price.toString(),
    locked: d.locked.toString(),
    paid: d.paid.toString(),
    refunded: d.refunded.toString(),
    escrow: d.escrow.toString(),
    bandwidthBudget: d.bandwidthBudget.toString(),
    bandwidthUsed: d.bandwidthUsed.toString(),
    replicas: d.replicas.map(replicaToProto),
  });
}

export function dealFromProto(d: trucom.market.v1.IDeal): Deal {
  return {
    id: d.id ?? 0,
    owner: d.owner ?? '',
    cid: d.cid ?? '',
    size: d.size ?? 0,
    profile: d.profile ?? '',
    kind: (d.kind || 'blob') as DealKind,
    replicaCount: d.replicaCount ?? 0,
    price: BigInt(d.price || '0'),
    status: (d.status || 'active') as DealStatus,
    createdHeight: d.createdHeight ?? 0,
    createdEpoch: d.createdEpoch ?? 0,
    startEpoch: d.startEpoch ?? 0,
    fundedUntilEpoch: d.fundedUntilEpoch ?? 0,
    settledEpoch: d.settledEpoch ?? 0,
    closedEpoch: d.closedEpoch ?? 0,
    locked: BigInt(d.locked || '0'),
    paid: BigInt(d.paid || '0'),
    refunded: BigInt(d.refunded || '0'),
    escrow: BigInt(d.escrow || '0'),
    bandwidthBudget: BigInt(d.bandwidthBudget || '0'),
    bandwidthUsed: BigInt(d.bandwidthUsed || '0'),
    replicas: (d.replicas ?? []).map(replicaFromProto),
  };
}

export const encodeProvider = (p: Provider): Uint8Array => pb.Provider.encode(providerToProto(p)).finish();
export const decodeProvider = (b: Uint8Array): Provider => providerFromProto(pb.Provider.decode(b));
export const encodeDeal = (d: Deal): Uint8Array => pb.Deal.encode(dealToProto(d)).finish();
export const decodeDeal = (b: Uint8Array): Deal => dealFromProto(pb.Deal.decode(b));
