import { moduleAddress, sha256, utf8 } from '@trucom/crypto';
import type { Context, KVStore, ReadonlyKVStore } from '@trucom/chain';
import type { BankKeeper } from '@trucom/bank';
import { ONE } from '@trucom/staking';
import { selectProviders } from './assign.js';
import { ErrNotEnoughProviders, ErrUnknownDeal, ErrUnknownProvider } from './errors.js';
import {
  dealKey,
  dealsByCidKey,
  dealsByOwnerKey,
  dealsByProviderKey,
  dueCountKey,
  dueKey,
  epochSeedKey,
  NEXT_DEAL_ID,
  PARAMS,
  providerKey,
  PROVIDERS_INDEX,
} from './keys.js';
import { chargedGiB, COLLATERAL_MODULE, DEFAULT_MARKET_PARAMS, epochOf, ESCROW_MODULE, marketParamsToJson, type MarketParams } from './params.js';
import { decodeDeal, decodeProvider, encodeDeal, encodeProvider, isLive, type Deal, type Provider, type Replica } from './types.js';
import type { StorageProofVerifier } from './verifier.js';
import { parseDec } from '@trucom/staking';

const text = new TextDecoder();
const u64 = (n: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
};

export type MarketBank = Pick<BankKeeper, 'send' | 'sendFromAccountToModule' | 'sendFromModuleToAccount' | 'burn' | 'balance'>;

/** sha256(epoch seed ‖ deal id (u64 BE) ‖ provider address): what a replica must prove in an epoch. */
export const challengeSeed = (epochSeed: Uint8Array, dealId: number, provider: string): Uint8Array => sha256(epochSeed, u64(dealId), utf8(provider));

/** The block's hash, or (simulation, CheckTx) a stand-in derived from the chain id and height. */
export const blockEntropy = (ctx: Context): Uint8Array => ctx.block.hash ?? sha256(utf8(`trucom/market/no-block-hash/${ctx.block.chainId}`), u64(ctx.block.height));

/**
 * State access of the market: params, providers, deals, epoch seeds and the due queues, plus the
 * money movements every rule goes through (escrow payouts, refunds, collateral). The message rules
 * live in `deals.ts`/`providers.ts`, the epoch rules in `epochs.ts`.
 */
export class MarketKeeper {
  private lastParams: { raw: Uint8Array; params: MarketParams } | undefined;

  constructor(
    readonly bank: MarketBank,
    readonly verifyProof: StorageProofVerifier,
  ) {}

  // ---- params ----

  params(store: ReadonlyKVStore): MarketParams {
    const v = store.get(PARAMS);
    if (!v) return DEFAULT_MARKET_PARAMS;
    if (!this.lastParams || Buffer.compare(this.lastParams.raw, v) !== 0) {
      const j = JSON.parse(text.decode(v)) as ReturnType<typeof marketParamsToJson>;
      const params: MarketParams = {
        epochBlocks: j.epoch_blocks,
        minReplicas: j.min_replicas,
        maxReplicas: j.max_replicas,
        maxMissedEpochs: j.max_missed_epochs,
        missSlashFraction: parseDec(j.miss_slash_fraction),
        allowedProfiles: j.allowed_profiles,
        minCollateral: BigInt(j.min_collateral),
        denom: j.denom,
      };
      this.lastParams = { raw: v, params };
    }
    return this.lastParams.params;
  }

  setParams(store: KVStore, p: MarketParams): void {
    store.set(PARAMS, utf8(JSON.stringify(marketParamsToJson(p))));
  }

  epoch(ctx: { block: { height: number }; store: ReadonlyKVStore }): number {
    return epochOf(ctx.block.height, this.params(ctx.store).epochBlocks);
  }

  // ---- providers ----

  getProvider(store: ReadonlyKVStore, address: string): Provider | undefined {
    const v = store.get(providerKey(address));
    return v ? decodeProvider(v) : undefined;
  }

  mustProvider(store: ReadonlyKVStore, address: string): Provider {
    const p = this.getProvider(store, address);
    if (!p) throw ErrUnknownProvider(`provider ${address} is not registered`);
    return p;
  }

  setProvider(store: KVStore, p: Provider): void {
    if (!store.has(providerKey(p.address))) {
      const index = this.providerAddresses(store);
      index.push(p.address);
      index.sort();
      store.set(PROVIDERS_INDEX, utf8(JSON.stringify(index)));
    }
    store.set(providerKey(p.address), encodeProvider(p));
  }

  /** Every provider ever registered, sorted by address. */
  providerAddresses(store: ReadonlyKVStore): string[] {
    const v = store.get(PROVIDERS_INDEX);
    return v ? (JSON.parse(text.decode(v)) as string[]) : [];
  }

  // ---- deals ----

  getDeal(store: ReadonlyKVStore, id: number): Deal | undefined {
    const v = store.get(dealKey(id));
    return v ? decodeDeal(v) : undefined;
  }

  mustDeal(store: ReadonlyKVStore, id: number): Deal {
    const d = this.getDeal(store, id);
    if (!d) throw ErrUnknownDeal(`deal ${id} does not exist`);
    return d;
  }

  setDeal(store: KVStore, d: Deal): void {
    store.set(dealKey(d.id), encodeDeal(d));
  }

  /** Stores a new deal with its query indexes. */
  addDeal(store: KVStore, d: Deal): void {
    this.setDeal(store, d);
    store.set(dealsByOwnerKey(d.owner, d.id), new Uint8Array());
    store.set(dealsByCidKey(d.cid, d.id), new Uint8Array());
    for (const r of d.replicas) store.set(dealsByProviderKey(r.provider, d.id), new Uint8Array());
  }

  nextDealId(store: KVStore): number {
    const v = store.get(NEXT_DEAL_ID);
    const id = v ? Number(text.decode(v)) : 1;
    store.set(NEXT_DEAL_ID, utf8(String(id + 1)));
    return id;
  }

  /** Storage cost per epoch for all replicas at the deal's price: what the escrow must keep per funded epoch. */
  epochCost(d: Pick<Deal, 'price' | 'size' | 'replicaCount'>): bigint {
    return d.price * chargedGiB(d.size) * BigInt(d.replicaCount);
  }

  // ---- epochs ----

  epochSeed(store: ReadonlyKVStore, epoch: number): Uint8Array | undefined {
    return store.get(epochSeedKey(epoch));
  }

  setEpochSeed(store: KVStore, epoch: number, seed: Uint8Array): void {
    store.set(epochSeedKey(epoch), seed);
  }

  /** Queues a deal for settlement at the end of `epoch` (O(1): a counter and one entry). */
  enqueue(store: KVStore, epoch: number, dealId: number): void {
    const v = store.get(dueCountKey(epoch));
    const n = v ? Number(text.decode(v)) : 0;
    store.set(dueKey(epoch, n), utf8(String(dealId)));
    store.set(dueCountKey(epoch), utf8(String(n + 1)));
  }

  hasDue(store: ReadonlyKVStore, epoch: number): boolean {
    return store.has(dueCountKey(epoch));
  }

  /** Removes and returns the deals due at the end of `epoch`, in queue order. */
  takeDue(store: KVStore, epoch: number): number[] {
    const v = store.get(dueCountKey(epoch));
    if (!v) return [];
    const n = Number(text.decode(v));
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(Number(text.decode(store.get(dueKey(epoch, i))!)));
      store.delete(dueKey(epoch, i));
    }
    store.delete(dueCountKey(epoch));
    return ids;
  }

  // ---- assignment ----

  /**
   * Chooses `count` new providers for a deal, never one already named in it; throws
   * ErrNotEnoughProviders unless `partial`, in which case it returns what it found.
   */
  chooseProviders(ctx: Context, deal: Pick<Deal, 'id' | 'size' | 'price' | 'replicas'>, count: number, salt: string, partial = false): Provider[] {
    const p = this.params(ctx.store);
    const candidates = this.providerAddresses(ctx.store).map((a) => this.getProvider(ctx.store, a)!);
    const need = { size: deal.size, maxPrice: deal.price, minCollateral: p.minCollateral, exclude: new Set(deal.replicas.map((r) => r.provider)) };
    const chosen = selectProviders(candidates, need, count, sha256(blockEntropy(ctx), u64(deal.id), utf8(salt)));
    if (chosen.length < count && !partial) {
      throw ErrNotEnoughProviders(
        `deal needs ${count} distinct providers with price <= ${deal.price}${p.denom}/GiB/epoch, ${deal.size} free bytes and collateral >= ${p.minCollateral}${p.denom}; ${chosen.length} eligible`,
      );
    }
    return chosen;
  }

  /** A new replica on `provider` (its capacity and live count grow), first challenged in `epoch`. */
  attachReplica(store: KVStore, deal: Deal, provider: Provider, epoch: number, status: Replica['status']): Replica {
    provider.used += deal.size;
    provider.liveReplicas += 1;
    this.setProvider(store, provider);
    const r: Replica = {
      provider: provider.address,
      status,
      assignedEpoch: epoch,
      lastProvenEpoch: 0,
      missed: 0,
      price: provider.price,
      bandwidthPrice: provider.bandwidthPrice,
      lastClaimPeriod: 0,
      earned: 0n,
      failedEpoch: 0,
    };
    deal.replicas.push(r);
    return r;
  }

  /** A live replica stops holding data: the provider's room comes back; an exiting provider with nothing left is paid out. */
  releaseReplica(ctx: Context, deal: Deal, replica: Replica): void {
    const p = this.mustProvider(ctx.store, replica.provider);
    ctx.store.delete(dealsByProviderKey(replica.provider, deal.id));
    p.used -= deal.size;
    p.liveReplicas -= 1;
    if (p.status === 'exiting' && p.liveReplicas === 0) this.returnCollateral(ctx, p);
    this.setProvider(ctx.store, p);
  }

  // ---- money ----

  private denom(store: ReadonlyKVStore): string {
    return this.params(store).denom;
  }

  /** Owner → escrow, counted as locked in the deal. */
  lock(ctx: Context, deal: Deal, amount: bigint): void {
    if (amount > 0n) this.bank.sendFromAccountToModule(ctx, deal.owner, ESCROW_MODULE, [{ denom: this.denom(ctx.store), amount }]);
    deal.locked += amount;
    deal.escrow += amount;
  }

  /** Escrow → provider, counted as paid (never more than the escrow holds). Returns what was paid. */
  payOut(ctx: Context, deal: Deal, replica: Replica, amount: bigint): bigint {
    const paid = amount < deal.escrow ? amount : deal.escrow;
    if (paid > 0n) this.bank.sendFromModuleToAccount(ctx, ESCROW_MODULE, replica.provider, [{ denom: this.denom(ctx.store), amount: paid }]);
    deal.paid += paid;
    deal.escrow -= paid;
    replica.earned += paid;
    return paid;
  }

  /** Everything left in the deal's escrow back to its owner. */
  refundAll(ctx: Context, deal: Deal): bigint {
    const amount = deal.escrow;
    if (amount > 0n) this.bank.sendFromModuleToAccount(ctx, ESCROW_MODULE, deal.owner, [{ denom: this.denom(ctx.store), amount }]);
    deal.refunded += amount;
    deal.escrow = 0n;
    return amount;
  }

  bondCollateral(ctx: Context, provider: Provider, amount: bigint): void {
    if (amount > 0n) this.bank.sendFromAccountToModule(ctx, provider.address, COLLATERAL_MODULE, [{ denom: this.denom(ctx.store), amount }]);
    provider.collateral += amount;
  }

  /** Burns `miss_slash_fraction` of the provider's collateral; returns the amount burned. */
  slash(ctx: Context, provider: Provider): bigint {
    const amount = (provider.collateral * this.params(ctx.store).missSlashFraction) / ONE;
    if (amount > 0n) this.bank.burn(ctx, COLLATERAL_MODULE, [{ denom: this.denom(ctx.store), amount }]);
    provider.collateral -= amount;
    provider.slashed += amount;
    return amount;
  }

  returnCollateral(ctx: Context, p: Provider): bigint {
    const amount = p.collateral;
    if (amount > 0n) this.bank.sendFromModuleToAccount(ctx, COLLATERAL_MODULE, p.address, [{ denom: this.denom(ctx.store), amount }]);
    p.collateral = 0n;
    p.status = 'exited';
    ctx.events.emit('provider_exited', { provider: p.address, amount: `${amount}${this.denom(ctx.store)}` });
    return amount;
  }

  moduleBalance(store: ReadonlyKVStore, module: typeof ESCROW_MODULE | typeof COLLATERAL_MODULE): bigint {
    return this.bank.balance(store, moduleAddress(module), this.denom(store));
  }

  liveReplicas(deal: Deal): Replica[] {
    return deal.replicas.filter(isLive);
  }
}
