import type { Context } from '@trucom/chain';
import {
  ErrAlreadyProven,
  ErrBudgetExhausted,
  ErrClaimReplayed,
  ErrDealNotActive,
  ErrInvalidProof,
  ErrNotDealOwner,
  ErrNotReplica,
  ErrTooFewReplicas,
  ErrTooManyReplicas,
  ErrUnknownProfile,
  ErrWrongEpoch,
} from './errors.js';
import { challengeSeed, type MarketKeeper } from './keeper.js';
import { chargedGiB, GIB } from './params.js';
import { isLive, type Deal, type DealKind } from './types.js';

export interface NewDeal {
  readonly owner: string;
  /** Canonical CID string. */
  readonly cid: string;
  readonly size: number;
  readonly profile: string;
  readonly kind: DealKind;
  readonly replicas: number;
  readonly duration: number;
  readonly maxPrice: bigint;
  readonly bandwidthBudget: bigint;
}

const amountAttr = (keeper: MarketKeeper, ctx: Context, n: bigint) => `${n}${keeper.params(ctx.store).denom}`;

/**
 * Creates a deal: providers are drawn from the block hash, the whole cost (max price × GiB × replicas
 * × epochs + bandwidth budget) moves from the owner into escrow. Funded epochs start with the next
 * epoch, so providers have the rest of this one to fetch the content.
 */
export function createDeal(keeper: MarketKeeper, ctx: Context, n: NewDeal): Deal {
  const params = keeper.params(ctx.store);
  if (n.replicas < params.minReplicas) throw ErrTooFewReplicas(`deal asks for ${n.replicas} replicas; min_replicas is ${params.minReplicas}`);
  if (n.replicas > params.maxReplicas) throw ErrTooManyReplicas(`deal asks for ${n.replicas} replicas; max_replicas is ${params.maxReplicas}`);
  if (!params.allowedProfiles.includes(n.profile)) throw ErrUnknownProfile(`profile ${JSON.stringify(n.profile)} is not one of ${params.allowedProfiles.join(', ')}`);
  const epoch = keeper.epoch(ctx);
  const deal: Deal = {
    id: 0,
    owner: n.owner,
    cid: n.cid,
    size: n.size,
    profile: n.profile,
    kind: n.kind,
    replicaCount: n.replicas,
    price: n.maxPrice,
    status: 'active',
    createdHeight: ctx.block.height,
    createdEpoch: epoch,
    startEpoch: epoch + 1,
    fundedUntilEpoch: epoch + n.duration,
    settledEpoch: epoch,
    closedEpoch: 0,
    locked: 0n,
    paid: 0n,
    refunded: 0n,
    escrow: 0n,
    bandwidthBudget: n.bandwidthBudget,
    bandwidthUsed: 0n,
    replicas: [],
  };
  deal.id = keeper.nextDealId(ctx.store);
  const providers = keeper.chooseProviders(ctx, deal, n.replicas, 'create');
  keeper.lock(ctx, deal, keeper.epochCost(deal) * BigInt(n.duration) + n.bandwidthBudget);
  for (const p of providers) keeper.attachReplica(ctx.store, deal, p, deal.startEpoch, 'active');
  keeper.addDeal(ctx.store, deal);
  keeper.enqueue(ctx.store, deal.startEpoch, deal.id);
  ctx.events.emit('create_deal', {
    deal_id: String(deal.id),
    owner: deal.owner,
    cid: deal.cid,
    size: String(deal.size),
    kind: deal.kind,
    profile: deal.profile,
    replicas: String(deal.replicaCount),
    providers: deal.replicas.map((r) => r.provider).join(','),
    start_epoch: String(deal.startEpoch),
    funded_until_epoch: String(deal.fundedUntilEpoch),
    amount: amountAttr(keeper, ctx, deal.escrow),
  });
  for (const r of deal.replicas) ctx.events.emit('replica_assigned', { deal_id: String(deal.id), provider: r.provider, status: r.status, epoch: String(r.assignedEpoch) });
  return deal;
}

function ownedActiveDeal(keeper: MarketKeeper, ctx: Context, owner: string, id: number): Deal {
  const deal = keeper.mustDeal(ctx.store, id);
  if (deal.owner !== owner) throw ErrNotDealOwner(`deal ${id} belongs to ${deal.owner}, not ${owner}`);
  if (deal.status !== 'active') throw ErrDealNotActive(`deal ${id} is ${deal.status}`);
  return deal;
}

/** More bandwidth budget, locked in escrow. */
export function topUpDeal(keeper: MarketKeeper, ctx: Context, owner: string, id: number, bandwidth: bigint): Deal {
  const deal = ownedActiveDeal(keeper, ctx, owner, id);
  keeper.lock(ctx, deal, bandwidth);
  deal.bandwidthBudget += bandwidth;
  keeper.setDeal(ctx.store, deal);
  ctx.events.emit('top_up_deal', { deal_id: String(id), bandwidth_budget: deal.bandwidthBudget.toString(), amount: amountAttr(keeper, ctx, bandwidth) });
  return deal;
}

/** More funded epochs at the deal's price, locked in escrow. */
export function extendDeal(keeper: MarketKeeper, ctx: Context, owner: string, id: number, epochs: number): Deal {
  const deal = ownedActiveDeal(keeper, ctx, owner, id);
  const amount = keeper.epochCost(deal) * BigInt(epochs);
  keeper.lock(ctx, deal, amount);
  deal.fundedUntilEpoch += epochs;
  keeper.setDeal(ctx.store, deal);
  ctx.events.emit('extend_deal', { deal_id: String(id), epochs: String(epochs), funded_until_epoch: String(deal.fundedUntilEpoch), amount: amountAttr(keeper, ctx, amount) });
  return deal;
}

/**
 * Ends a deal at once: replicas that already proved the current epoch are paid for it, every live
 * replica is released, and the rest of the escrow goes back to the owner.
 */
export function cancelDeal(keeper: MarketKeeper, ctx: Context, owner: string, id: number): bigint {
  const deal = ownedActiveDeal(keeper, ctx, owner, id);
  const epoch = keeper.epoch(ctx);
  if (epoch > deal.settledEpoch && epoch <= deal.fundedUntilEpoch) {
    for (const r of keeper.liveReplicas(deal)) if (r.lastProvenEpoch === epoch) payStorage(keeper, ctx, deal, r, epoch);
  }
  closeDeal(keeper, ctx, deal, 'cancelled', epoch);
  const refund = deal.refunded;
  keeper.setDeal(ctx.store, deal);
  ctx.events.emit('cancel_deal', { deal_id: String(id), owner, amount: amountAttr(keeper, ctx, refund) });
  return refund;
}

/** Releases every live replica and refunds the escrow; `deal.refunded` then holds the total refund. */
export function closeDeal(keeper: MarketKeeper, ctx: Context, deal: Deal, status: 'expired' | 'cancelled', epoch: number): void {
  for (const r of keeper.liveReplicas(deal)) keeper.releaseReplica(ctx, deal, r);
  keeper.refundAll(ctx, deal);
  deal.status = status;
  deal.closedEpoch = epoch;
}

/** Pays one replica its epoch price (× charged GiB) from escrow. */
export function payStorage(keeper: MarketKeeper, ctx: Context, deal: Deal, r: Deal['replicas'][number], epoch: number): void {
  const paid = keeper.payOut(ctx, deal, r, r.price * chargedGiB(deal.size));
  ctx.events.emit('storage_payout', { deal_id: String(deal.id), provider: r.provider, epoch: String(epoch), amount: amountAttr(keeper, ctx, paid) });
}

export interface StorageProof {
  readonly provider: string;
  readonly dealId: number;
  readonly epoch: number;
  readonly blocks: readonly Uint8Array[];
}

/** Checks a replica's answer to this epoch's challenge; a valid one marks the replica proven (and active). */
export function proveStorage(keeper: MarketKeeper, ctx: Context, proof: StorageProof): void {
  const deal = keeper.mustDeal(ctx.store, proof.dealId);
  if (deal.status !== 'active') throw ErrDealNotActive(`deal ${deal.id} is ${deal.status}`);
  const epoch = keeper.epoch(ctx);
  if (proof.epoch !== epoch) throw ErrWrongEpoch(`proof for epoch ${proof.epoch} in a block of epoch ${epoch}`);
  const replica = deal.replicas.find((r) => r.provider === proof.provider && isLive(r));
  if (!replica) throw ErrNotReplica(`${proof.provider} holds no live replica of deal ${deal.id}`);
  if (replica.assignedEpoch > epoch) throw ErrWrongEpoch(`replica of ${proof.provider} on deal ${deal.id} is first challenged in epoch ${replica.assignedEpoch}, now is ${epoch}`);
  if (replica.lastProvenEpoch === epoch) throw ErrAlreadyProven(`${proof.provider} already proved deal ${deal.id} in epoch ${epoch}`);
  const seed = keeper.epochSeed(ctx.store, epoch);
  if (!seed) throw ErrWrongEpoch(`no challenge seed for epoch ${epoch}`);
  const result = keeper.verifyProof(deal.cid, challengeSeed(seed, deal.id, proof.provider), proof.blocks);
  if (!result.ok) throw ErrInvalidProof(result.reason);
  replica.lastProvenEpoch = epoch;
  replica.missed = 0;
  replica.status = 'active';
  keeper.setDeal(ctx.store, deal);
  ctx.events.emit('proof_accepted', { deal_id: String(deal.id), provider: proof.provider, epoch: String(epoch), leaf: result.leaf, depth: String(result.depth) });
}

export interface BandwidthClaim {
  readonly provider: string;
  readonly dealId: number;
  readonly bytes: number;
  readonly period: number;
}

/**
 * Pays bytes served at the replica's bandwidth price per GiB, capped by what is left of the budget
 * (a claim over it is paid partially, later ones fail). Each (deal, provider) claims periods in
 * strictly increasing order, so a claim cannot be replayed.
 */
export function claimBandwidth(keeper: MarketKeeper, ctx: Context, c: BandwidthClaim): { paid: bigint; remaining: bigint } {
  const deal = keeper.mustDeal(ctx.store, c.dealId);
  if (deal.status !== 'active') throw ErrDealNotActive(`deal ${deal.id} is ${deal.status}`);
  const replica = deal.replicas.find((r) => r.provider === c.provider);
  if (!replica) throw ErrNotReplica(`${c.provider} holds no replica of deal ${deal.id}`);
  if (c.period <= replica.lastClaimPeriod) throw ErrClaimReplayed(`period ${c.period} is not after the last claimed period ${replica.lastClaimPeriod}`);
  const left = deal.bandwidthBudget - deal.bandwidthUsed;
  if (left <= 0n) throw ErrBudgetExhausted(`deal ${deal.id} has no bandwidth budget left`);
  const owed = (BigInt(c.bytes) * replica.bandwidthPrice) / GIB;
  const paid = keeper.payOut(ctx, deal, replica, owed < left ? owed : left);
  deal.bandwidthUsed += paid;
  replica.lastClaimPeriod = c.period;
  keeper.setDeal(ctx.store, deal);
  const remaining = deal.bandwidthBudget - deal.bandwidthUsed;
  ctx.events.emit('bandwidth_claimed', {
    deal_id: String(deal.id),
    provider: c.provider,
    bytes: String(c.bytes),
    period: String(c.period),
    owed: owed.toString(),
    remaining: remaining.toString(),
    amount: amountAttr(keeper, ctx, paid),
  });
  if (remaining === 0n) ctx.events.emit('bandwidth_exhausted', { deal_id: String(deal.id) });
  return { paid, remaining };
}
