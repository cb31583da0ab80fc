import type { Context, KVStore, ReadonlyKVStore } from '@trucom/chain';
import { parseRootCid, type MarketKeeper } from '@trucom/market';
import { trucom } from '@trucom/proto';
import { ErrCidMismatch, ErrDealNotActive, ErrInvalidCid, ErrInvalidName, ErrNameTaken, ErrNotDealOwner, ErrNotSiteOwner, ErrSameOwner, ErrUnknownDeal, ErrUnknownSite } from './errors.js';
import { siteKey, sitesByOwnerKey } from './keys.js';

const pb = trucom.sites.v1;

export interface Site {
  readonly name: string;
  readonly owner: string;
  readonly rootCid: string;
  readonly dealId: number;
  readonly createdHeight: number;
  readonly updatedHeight: number;
}

/** A DNS label: lowercase letters, digits and hyphens, 1–63 characters, no hyphen at either end. */
export const SITE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkSiteName(name: string): void {
  if (!SITE_NAME.test(name)) throw ErrInvalidName(`${JSON.stringify(name.slice(0, 70))} is not a DNS label ([a-z0-9-], 1-63 characters, no leading or trailing hyphen)`);
}

/** The canonical form of a root CID, or ErrInvalidCid. */
export function checkRootCid(cid: string): string {
  const parsed = parseRootCid(cid);
  if ('error' in parsed) throw ErrInvalidCid(parsed.error);
  return parsed.cid;
}

export const encodeSite = (s: Site): Uint8Array => pb.Site.encode(s).finish();
export function decodeSite(b: Uint8Array): Site {
  const s = pb.Site.decode(b);
  return { name: s.name, owner: s.owner, rootCid: s.rootCid, dealId: s.dealId, createdHeight: s.createdHeight, updatedHeight: s.updatedHeight };
}

/** The name registry: name → (owner, root CID, deal). A name points at content its owner pays for. */
export class SitesKeeper {
  constructor(private readonly market: Pick<MarketKeeper, 'getDeal'>) {}

  getSite(store: ReadonlyKVStore, name: string): Site | undefined {
    const v = store.get(siteKey(name));
    return v ? decodeSite(v) : undefined;
  }

  private setSite(store: KVStore, s: Site): void {
    store.set(siteKey(s.name), encodeSite(s));
  }

  /** The deal must exist, be active, belong to `owner` and hold exactly `rootCid`. */
  private checkDeal(store: ReadonlyKVStore, owner: string, rootCid: string, dealId: number): void {
    const deal = this.market.getDeal(store, dealId);
    if (!deal) throw ErrUnknownDeal(`deal ${dealId} does not exist`);
    if (deal.owner !== owner) throw ErrNotDealOwner(`deal ${dealId} belongs to ${deal.owner}, not ${owner}`);
    if (deal.status !== 'active') throw ErrDealNotActive(`deal ${dealId} is ${deal.status}`);
    if (deal.cid !== rootCid) throw ErrCidMismatch(`deal ${dealId} holds ${deal.cid}, not ${rootCid}`);
  }

  private mustOwn(store: ReadonlyKVStore, name: string, owner: string): Site {
    const site = this.getSite(store, name);
    if (!site) throw ErrUnknownSite(`site ${name} is not registered`);
    if (site.owner !== owner) throw ErrNotSiteOwner(`site ${name} belongs to ${site.owner}, not ${owner}`);
    return site;
  }

  register(ctx: Context, owner: string, name: string, rootCid: string, dealId: number): Site {
    if (this.getSite(ctx.store, name)) throw ErrNameTaken(`site ${name} is already registered`);
    const cid = checkRootCid(rootCid);
    this.checkDeal(ctx.store, owner, cid, dealId);
    const site: Site = { name, owner, rootCid: cid, dealId, createdHeight: ctx.block.height, updatedHeight: ctx.block.height };
    this.setSite(ctx.store, site);
    ctx.store.set(sitesByOwnerKey(owner, name), new Uint8Array());
    ctx.events.emit('register_site', { name, owner, root_cid: cid, deal_id: String(dealId) });
    return site;
  }

  update(ctx: Context, owner: string, name: string, rootCid: string, dealId: number): Site {
    const site = this.mustOwn(ctx.store, name, owner);
    const cid = checkRootCid(rootCid);
    this.checkDeal(ctx.store, owner, cid, dealId);
    const next: Site = { ...site, rootCid: cid, dealId, updatedHeight: ctx.block.height };
    this.setSite(ctx.store, next);
    ctx.events.emit('update_site', { name, owner, root_cid: cid, deal_id: String(dealId), previous_root_cid: site.rootCid });
    return next;
  }

  /** The site keeps pointing at its deal (still paid by the previous owner) until the new owner updates it. */
  transfer(ctx: Context, owner: string, name: string, newOwner: string): Site {
    const site = this.mustOwn(ctx.store, name, owner);
    if (newOwner === owner) throw ErrSameOwner(`${newOwner} already owns ${name}`);
    const next: Site = { ...site, owner: newOwner, updatedHeight: ctx.block.height };
    this.setSite(ctx.store, next);
    ctx.store.delete(sitesByOwnerKey(owner, name));
    ctx.store.set(sitesByOwnerKey(newOwner, name), new Uint8Array());
    ctx.events.emit('transfer_site', { name, owner, new_owner: newOwner });
    return next;
  }
}
