import { isValidAddress, moduleAddress } from '@trucom/crypto';
import type { Context } from '@trucom/chain';
import { checkCid, checkEndpoint, parseAmount } from './msgs.js';
import type { MarketKeeper } from './keeper.js';
import { COLLATERAL_MODULE, epochOf, ESCROW_MODULE, marketParamsFromGenesis, type MarketGenesisParams } from './params.js';
import { DEAL_KINDS, type Deal, type DealKind } from './types.js';

/** `app_state.market` of genesis.json. Every field is optional. */
export interface MarketGenesis {
  readonly params?: MarketGenesisParams;
  readonly providers?: readonly GenesisProvider[];
  readonly deals?: readonly GenesisDeal[];
}

export interface GenesisProvider {
  readonly address: string;
  readonly endpoint: string;
  /** Bytes. */
  readonly capacity: number;
  /** Integer amounts of the market denom. */
  readonly price: string;
  readonly bandwidth_price: string;
  /** Bonded collateral: the bank genesis must fund `market_collateral` with the sum (checked). */
  readonly collateral: string;
}

/** A deal running from epoch 1 on the named providers; the bank genesis funds `market_escrow` with its cost (checked). */
export interface GenesisDeal {
  readonly owner: string;
  readonly cid: string;
  readonly size: number;
  readonly profile: string;
  readonly kind: string;
  readonly providers: readonly string[];
  /** Funded epochs from epoch 1. */
  readonly duration: number;
  readonly price: string;
  readonly bandwidth_budget?: string;
}

/** What `market_escrow` must hold for genesis deals: Σ price × GiB × replicas × duration + budget. */
export function genesisDealsCost(keeper: MarketKeeper, deals: readonly GenesisDeal[]): bigint {
  return deals.reduce((sum, d) => sum + keeper.epochCost({ price: BigInt(d.price), size: d.size, replicaCount: d.providers.length }) * BigInt(d.duration) + BigInt(d.bandwidth_budget ?? '0'), 0n);
}

export function initMarketGenesis(keeper: MarketKeeper, ctx: Context, g: MarketGenesis = {}): void {
  const params = marketParamsFromGenesis(g.params);
  keeper.setParams(ctx.store, params);
  let collateral = 0n;
  for (const gp of g.providers ?? []) {
    if (!isValidAddress(gp.address)) throw new Error(`market genesis: invalid provider address ${gp.address}`);
    if (keeper.getProvider(ctx.store, gp.address)) throw new Error(`market genesis: duplicate provider ${gp.address}`);
    checkEndpoint(gp.endpoint);
    if (!Number.isSafeInteger(gp.capacity) || gp.capacity <= 0) throw new Error(`market genesis: ${gp.address} capacity must be a positive integer`);
    const c = parseAmount(gp.collateral, 'collateral');
    if (c < params.minCollateral) throw new Error(`market genesis: ${gp.address} collateral ${c} is below min_collateral ${params.minCollateral}`);
    collateral += c;
    keeper.setProvider(ctx.store, {
      address: gp.address,
      endpoint: gp.endpoint,
      capacity: gp.capacity,
      used: 0,
      price: parseAmount(gp.price, 'price'),
      bandwidthPrice: parseAmount(gp.bandwidth_price, 'bandwidth_price'),
      collateral: c,
      status: 'active',
      liveReplicas: 0,
      registeredHeight: 0,
      slashed: 0n,
    });
  }
  for (const gd of g.deals ?? []) initGenesisDeal(keeper, ctx, gd);
  const deals = genesisDealsCost(keeper, g.deals ?? []);
  const heldCollateral = keeper.bank.balance(ctx.store, moduleAddress(COLLATERAL_MODULE), params.denom);
  const heldEscrow = keeper.bank.balance(ctx.store, moduleAddress(ESCROW_MODULE), params.denom);
  if (heldCollateral !== collateral) throw new Error(`market genesis: ${COLLATERAL_MODULE} holds ${heldCollateral}${params.denom}, providers bond ${collateral}`);
  if (heldEscrow !== deals) throw new Error(`market genesis: ${ESCROW_MODULE} holds ${heldEscrow}${params.denom}, deals lock ${deals}`);
}

function initGenesisDeal(keeper: MarketKeeper, ctx: Context, gd: GenesisDeal): void {
  const params = keeper.params(ctx.store);
  if (!isValidAddress(gd.owner)) throw new Error(`market genesis: invalid deal owner ${gd.owner}`);
  if (!DEAL_KINDS.includes(gd.kind as DealKind)) throw new Error(`market genesis: invalid deal kind ${gd.kind}`);
  if (!params.allowedProfiles.includes(gd.profile)) throw new Error(`market genesis: unknown profile ${gd.profile}`);
  if (gd.providers.length < params.minReplicas || new Set(gd.providers).size !== gd.providers.length) throw new Error(`market genesis: a deal needs ${params.minReplicas} distinct providers`);
  if (!Number.isSafeInteger(gd.duration) || gd.duration <= 0 || !Number.isSafeInteger(gd.size) || gd.size <= 0) throw new Error('market genesis: deal size and duration must be positive integers');
  const deal: Deal = {
    id: keeper.nextDealId(ctx.store),
    owner: gd.owner,
    cid: checkCid(gd.cid),
    size: gd.size,
    profile: gd.profile,
    kind: gd.kind as DealKind,
    replicaCount: gd.providers.length,
    price: parseAmount(gd.price, 'price'),
    status: 'active',
    createdHeight: 0,
    createdEpoch: epochOf(0, params.epochBlocks),
    startEpoch: 1,
    fundedUntilEpoch: gd.duration,
    settledEpoch: 0,
    closedEpoch: 0,
    locked: 0n,
    paid: 0n,
    refunded: 0n,
    escrow: 0n,
    bandwidthBudget: parseAmount(gd.bandwidth_budget ?? '0', 'bandwidth_budget'),
    bandwidthUsed: 0n,
    replicas: [],
  };
  deal.locked = deal.escrow = keeper.epochCost(deal) * BigInt(gd.duration) + deal.bandwidthBudget;
  for (const address of gd.providers) {
    const p = keeper.getProvider(ctx.store, address);
    if (!p) throw new Error(`market genesis: deal provider ${address} is not a genesis provider`);
    if (p.capacity - p.used < deal.size) throw new Error(`market genesis: provider ${address} has no room for ${deal.size} bytes`);
    if (p.price > deal.price) throw new Error(`market genesis: provider ${address} asks more than the deal's price`);
    keeper.attachReplica(ctx.store, deal, p, 1, 'active');
  }
  keeper.addDeal(ctx.store, deal);
  keeper.enqueue(ctx.store, 1, deal.id);
}
