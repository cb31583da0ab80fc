import type { Context } from '@trucom/chain';
import { ErrCollateralTooLow, ErrInvalidCapacity, ErrProviderExists, ErrProviderNotActive } from './errors.js';
import type { MarketKeeper } from './keeper.js';
import type { Provider } from './types.js';

export interface ProviderRegistration {
  readonly address: string;
  readonly endpoint: string;
  readonly capacity: number;
  readonly price: bigint;
  readonly bandwidthPrice: bigint;
  readonly collateral: bigint;
}

/** register_provider / update_provider: the provider's offer as it now stands (amount = its collateral). */
function emitProvider(keeper: MarketKeeper, ctx: Context, type: 'register_provider' | 'update_provider', p: Provider): void {
  ctx.events.emit(type, {
    provider: p.address,
    endpoint: p.endpoint,
    capacity: String(p.capacity),
    price: p.price.toString(),
    bandwidth_price: p.bandwidthPrice.toString(),
    amount: `${p.collateral}${keeper.params(ctx.store).denom}`,
  });
}

/** Registers a provider (or re-registers one that exited), bonding its collateral. */
export function registerProvider(keeper: MarketKeeper, ctx: Context, r: ProviderRegistration): Provider {
  const existing = keeper.getProvider(ctx.store, r.address);
  if (existing && existing.status !== 'exited') throw ErrProviderExists(`provider ${r.address} is already registered (${existing.status})`);
  const min = keeper.params(ctx.store).minCollateral;
  if (r.collateral < min) throw ErrCollateralTooLow(`collateral ${r.collateral} is below min_collateral ${min}`);
  const p: Provider = {
    address: r.address,
    endpoint: r.endpoint,
    capacity: r.capacity,
    used: 0,
    price: r.price,
    bandwidthPrice: r.bandwidthPrice,
    collateral: 0n,
    status: 'active',
    liveReplicas: 0,
    registeredHeight: ctx.block.height,
    slashed: existing?.slashed ?? 0n,
  };
  keeper.bondCollateral(ctx, p, r.collateral);
  keeper.setProvider(ctx.store, p);
  emitProvider(keeper, ctx, 'register_provider', p);
  return p;
}

export interface ProviderUpdate {
  readonly address: string;
  readonly endpoint?: string;
  readonly capacity?: number;
  readonly price?: bigint;
  readonly bandwidthPrice?: bigint;
  readonly addCollateral?: bigint;
}

/** Changes what is given; prices apply to new assignments only (replicas keep the price they were assigned at). */
export function updateProvider(keeper: MarketKeeper, ctx: Context, u: ProviderUpdate): Provider {
  const p = keeper.mustProvider(ctx.store, u.address);
  if (p.status !== 'active') throw ErrProviderNotActive(`provider ${p.address} is ${p.status}`);
  if (u.endpoint !== undefined) p.endpoint = u.endpoint;
  if (u.capacity !== undefined) {
    if (u.capacity < p.used) throw ErrInvalidCapacity(`capacity ${u.capacity} is below the ${p.used} bytes already assigned`);
    p.capacity = u.capacity;
  }
  if (u.price !== undefined) p.price = u.price;
  if (u.bandwidthPrice !== undefined) p.bandwidthPrice = u.bandwidthPrice;
  if (u.addCollateral !== undefined) keeper.bondCollateral(ctx, p, u.addCollateral);
  keeper.setProvider(ctx.store, p);
  emitProvider(keeper, ctx, 'update_provider', p);
  return p;
}

/** No new assignments from now on; the collateral comes back now if no live replica is held, else when the last one ends. */
export function exitProvider(keeper: MarketKeeper, ctx: Context, address: string): bigint {
  const p = keeper.mustProvider(ctx.store, address);
  if (p.status !== 'active') throw ErrProviderNotActive(`provider ${p.address} is already ${p.status}`);
  p.status = 'exiting';
  const returned = p.liveReplicas === 0 ? keeper.returnCollateral(ctx, p) : 0n;
  keeper.setProvider(ctx.store, p);
  ctx.events.emit('exit_provider', { provider: p.address, live_replicas: String(p.liveReplicas), status: p.status });
  return returned;
}
