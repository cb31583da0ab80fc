import type { Context } from '@trucom/chain';
import { toHex } from '@trucom/crypto';
import { closeDeal, payStorage } from './deals.js';
import { blockEntropy, type MarketKeeper } from './keeper.js';
import type { Deal, Replica } from './types.js';
import { dealsByProviderKey, epochSeedKey } from './keys.js';

/**
 * Begin block of an epoch's first block: the block hash becomes the epoch's challenge seed (each
 * replica's challenge is sha256(seed ‖ deal id ‖ provider), derived on demand). O(1) per block; an
 * epoch with no deal to settle records no seed.
 */
export function beginBlock(keeper: MarketKeeper, ctx: Context): void {
  const { epochBlocks } = keeper.params(ctx.store);
  const h = ctx.block.height;
  if (h < 1 || (h - 1) % epochBlocks !== 0) return;
  const epoch = keeper.epoch(ctx);
  if (ctx.store.has(epochSeedKey(epoch - 2))) ctx.store.delete(epochSeedKey(epoch - 2));
  // Only deals queued for this epoch are challenged in it: without any, nothing is written.
  if (!keeper.hasDue(ctx.store, epoch)) return;
  const seed = blockEntropy(ctx);
  keeper.setEpochSeed(ctx.store, epoch, seed);
  ctx.events.emit('epoch_start', { epoch: String(epoch), seed: toHex(seed) });
}

/**
 * End block of an epoch's last block: settles every deal queued for this epoch (the epoch's
 * challenges, nothing else), then re-queues the ones still running for the next epoch.
 */
export function endBlock(keeper: MarketKeeper, ctx: Context): void {
  const { epochBlocks } = keeper.params(ctx.store);
  const h = ctx.block.height;
  if (h < 1 || h % epochBlocks !== 0) return;
  const epoch = keeper.epoch(ctx);
  for (const id of keeper.takeDue(ctx.store, epoch)) {
    const deal = keeper.getDeal(ctx.store, id);
    if (!deal || deal.status !== 'active') continue; // cancelled since it was queued
    settleDeal(keeper, ctx, deal, epoch);
    keeper.setDeal(ctx.store, deal);
    if (deal.status === 'active') keeper.enqueue(ctx.store, epoch + 1, deal.id);
  }
}

/**
 * One deal at the end of `epoch`: proven replicas are paid their epoch price; a missing proof pays
 * nothing and burns `miss_slash_fraction` of the provider's collateral; `max_missed_epochs`
 * consecutive misses fail the replica. Then the deal expires (last funded epoch) or is repaired up
 * to its replica count from the eligible providers.
 */
export function settleDeal(keeper: MarketKeeper, ctx: Context, deal: Deal, epoch: number): void {
  const denom = keeper.params(ctx.store).denom;
  for (const r of keeper.liveReplicas(deal)) {
    if (r.assignedEpoch > epoch) continue;
    if (r.lastProvenEpoch === epoch) payStorage(keeper, ctx, deal, r, epoch);
    else miss(keeper, ctx, deal, r, epoch, denom);
  }
  deal.settledEpoch = epoch;
  if (epoch >= deal.fundedUntilEpoch) {
    closeDeal(keeper, ctx, deal, 'expired', epoch);
    ctx.events.emit('deal_expired', { deal_id: String(deal.id), owner: deal.owner, epoch: String(epoch), amount: `${deal.refunded}${denom}` });
    return;
  }
  repair(keeper, ctx, deal, epoch);
}

function miss(keeper: MarketKeeper, ctx: Context, deal: Deal, r: Replica, epoch: number, denom: string): void {
  const provider = keeper.mustProvider(ctx.store, r.provider);
  const slashed = keeper.slash(ctx, provider);
  keeper.setProvider(ctx.store, provider);
  r.missed += 1;
  if (r.status === 'active') r.status = 'faulty';
  ctx.events.emit('proof_missed', { deal_id: String(deal.id), provider: r.provider, epoch: String(epoch), missed: String(r.missed), amount: `${slashed}${denom}` });
  if (r.missed < keeper.params(ctx.store).maxMissedEpochs) return;
  r.status = 'failed';
  r.failedEpoch = epoch;
  keeper.releaseReplica(ctx, deal, r);
  ctx.events.emit('replica_failed', { deal_id: String(deal.id), provider: r.provider, epoch: String(epoch), missed: String(r.missed) });
}

/** Brings the live replicas back to the deal's count from providers never on this deal; first challenged next epoch. */
function repair(keeper: MarketKeeper, ctx: Context, deal: Deal, epoch: number): void {
  const missing = deal.replicaCount - keeper.liveReplicas(deal).length;
  if (missing <= 0) return;
  const chosen = keeper.chooseProviders(ctx, deal, missing, `repair/${epoch}`, true);
  for (const p of chosen) {
    const r = keeper.attachReplica(ctx.store, deal, p, epoch + 1, 'repairing');
    ctx.store.set(dealsByProviderKey(p.address, deal.id), new Uint8Array());
    ctx.events.emit('repair_assigned', { deal_id: String(deal.id), provider: r.provider, epoch: String(r.assignedEpoch) });
    ctx.events.emit('replica_assigned', { deal_id: String(deal.id), provider: r.provider, status: r.status, epoch: String(r.assignedEpoch) });
  }
  if (chosen.length < missing) ctx.events.emit('repair_pending', { deal_id: String(deal.id), live: String(deal.replicaCount - missing + chosen.length), wanted: String(deal.replicaCount) });
}
