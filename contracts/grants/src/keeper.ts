import { toHex, utf8 } from '@trucom/crypto';
import type { Context, KVStore, ReadonlyKVStore } from '@trucom/chain';
import type { MarketKeeper } from '@trucom/market';
import { trucom } from '@trucom/proto';
import {
  ErrAlreadyRevoked,
  ErrContentExists,
  ErrContentHasDeal,
  ErrDealNotActive,
  ErrGrantNotFound,
  ErrInvalidExpiry,
  ErrNoHolderKey,
  ErrNotContentOwner,
  ErrNotDealOwner,
  ErrNotProvider,
  ErrUnknownContent,
  ErrUnknownDeal,
  ErrUnknownKeyId,
} from './errors.js';
import { BLOCK_TIME, contentKey, MAX_EXPIRY, contentKeyKey, grantKey, grantsOfKey, keyHolderKey } from './keys.js';

const pb = trucom.grants.v1;
const text = new TextDecoder();

export interface KeyHolder {
  readonly holder: string;
  readonly x25519Pubkey: Uint8Array;
  readonly updatedHeight: number;
}

export interface Content {
  readonly id: string;
  readonly owner: string;
  readonly dealId: number;
  readonly keyIds: string[];
  readonly createdHeight: number;
}

export interface ContentKey {
  readonly content: string;
  readonly keyId: string;
  readonly holder: string;
  readonly sealed: Uint8Array;
  readonly height: number;
}

export interface Grant {
  readonly content: string;
  readonly grantee: string;
  readonly granter: string;
  /** Unix seconds of block time; 0 = never. */
  readonly expiry: number;
  readonly revoked: boolean;
  readonly grantedHeight: number;
  readonly revokedHeight: number;
}

export interface SealedKeyEntry {
  readonly keyId: string;
  readonly holder: string;
  readonly sealed: Uint8Array;
}

/** A grant is active at a block iff it is not revoked and has not expired by that block's time. */
export const isGrantActive = (g: Pick<Grant, 'revoked' | 'expiry'>, blockTime: number): boolean => !g.revoked && (g.expiry === 0 || g.expiry > blockTime);

export const decodeKeyHolder = (b: Uint8Array): KeyHolder => {
  const k = pb.KeyHolder.decode(b);
  return { holder: k.holder, x25519Pubkey: k.x25519Pubkey, updatedHeight: k.updatedHeight };
};
export const decodeContent = (b: Uint8Array): Content => {
  const c = pb.Content.decode(b);
  return { id: c.id, owner: c.owner, dealId: c.dealId, keyIds: c.keyIds, createdHeight: c.createdHeight };
};
export const decodeContentKey = (b: Uint8Array): ContentKey => {
  const k = pb.ContentKey.decode(b);
  return { content: k.content, keyId: k.keyId, holder: k.holder, sealed: k.sealed, height: k.height };
};
export const decodeGrant = (b: Uint8Array): Grant => {
  const g = pb.Grant.decode(b);
  return { content: g.content, grantee: g.grantee, granter: g.granter, expiry: g.expiry, revoked: g.revoked, grantedHeight: g.grantedHeight, revokedHeight: g.revokedHeight };
};

/**
 * Content-key grants: key holders (providers' X25519 keys), contents (owner, deal, key ids), their
 * keys sealed to chosen holders, and per-viewer grants the owner gives and revokes.
 */
export class GrantsKeeper {
  constructor(private readonly market: Pick<MarketKeeper, 'getDeal' | 'getProvider'>) {}

  // ---- block time ----

  private readNumber(store: ReadonlyKVStore, key: string): number {
    const v = store.get(key);
    return v ? Number(text.decode(v)) : 0;
  }

  /**
   * The time queries judge expiry at: the last committed block's time whenever an expiring grant
   * could still be active; once every expiry has passed, a time at or after all of them.
   */
  blockTime(store: ReadonlyKVStore): number {
    return this.readNumber(store, BLOCK_TIME);
  }

  /** Begin block: records the block's time while some expiry is still ahead of the recorded time (else writes nothing). */
  recordBlockTime(ctx: Context): void {
    if (this.blockTime(ctx.store) < this.readNumber(ctx.store, MAX_EXPIRY)) ctx.store.set(BLOCK_TIME, utf8(String(ctx.block.time.seconds)));
  }

  private noteExpiry(ctx: Context, expiry: number): void {
    if (expiry > this.readNumber(ctx.store, MAX_EXPIRY)) ctx.store.set(MAX_EXPIRY, utf8(String(expiry)));
    ctx.store.set(BLOCK_TIME, utf8(String(ctx.block.time.seconds)));
  }

  // ---- key holders ----

  getKeyHolder(store: ReadonlyKVStore, address: string): KeyHolder | undefined {
    const v = store.get(keyHolderKey(address));
    return v ? decodeKeyHolder(v) : undefined;
  }

  /** The holder must be a registered provider that has not exited. Replaces an earlier key. */
  setKeyHolderKey(ctx: Context, holder: string, x25519Pubkey: Uint8Array): KeyHolder {
    const p = this.market.getProvider(ctx.store, holder);
    if (!p) throw ErrNotProvider(`${holder} is not a registered storage provider`);
    if (p.status === 'exited') throw ErrNotProvider(`provider ${holder} has exited`);
    const k: KeyHolder = { holder, x25519Pubkey, updatedHeight: ctx.block.height };
    ctx.store.set(keyHolderKey(holder), pb.KeyHolder.encode(k).finish());
    ctx.events.emit('set_key_holder_key', { holder, x25519_pubkey: toHex(x25519Pubkey), height: String(ctx.block.height) });
    return k;
  }

  // ---- contents ----

  getContent(store: ReadonlyKVStore, id: string): Content | undefined {
    const v = store.get(contentKey(id));
    return v ? decodeContent(v) : undefined;
  }

  private mustOwn(store: ReadonlyKVStore, id: string, owner: string): Content {
    const c = this.getContent(store, id);
    if (!c) throw ErrUnknownContent(`content ${id} is not registered`);
    if (c.owner !== owner) throw ErrNotContentOwner(`content ${id} belongs to ${c.owner}, not ${owner}`);
    return c;
  }

  private requireOwnActiveDeal(store: ReadonlyKVStore, owner: string, dealId: number): void {
    const deal = this.market.getDeal(store, dealId);
    if (!deal) throw ErrUnknownDeal(`deal ${dealId} does not exist`);
    if (deal.owner !== owner) throw ErrNotDealOwner(`deal ${dealId} belongs to ${deal.owner}, not ${owner}`);
    if (deal.status !== 'active') throw ErrDealNotActive(`deal ${dealId} is ${deal.status}`);
  }

  /**
   * The deal must exist, belong to `owner` and be active, or be 0: a live stream, whose root CID (and
   * so its deal) exists only once it ends. Key ids are checked by the message.
   */
  registerContent(ctx: Context, owner: string, id: string, dealId: number, keyIds: readonly string[]): Content {
    if (ctx.store.has(contentKey(id))) throw ErrContentExists(`content ${id} is already registered`);
    if (dealId !== 0) this.requireOwnActiveDeal(ctx.store, owner, dealId);
    const c: Content = { id, owner, dealId, keyIds: [...keyIds], createdHeight: ctx.block.height };
    ctx.store.set(contentKey(id), pb.Content.encode(c).finish());
    ctx.events.emit('register_content', { content: id, owner, deal_id: String(dealId), key_ids: keyIds.join(','), height: String(ctx.block.height) });
    return c;
  }

  /** Owner only, once: a content registered without a deal (an ended live stream) gets the owner's active deal. */
  setContentDeal(ctx: Context, owner: string, id: string, dealId: number): Content {
    const c = this.mustOwn(ctx.store, id, owner);
    if (c.dealId !== 0) throw ErrContentHasDeal(`content ${id} is stored under deal ${c.dealId} already`);
    this.requireOwnActiveDeal(ctx.store, owner, dealId);
    const next: Content = { ...c, dealId };
    ctx.store.set(contentKey(id), pb.Content.encode(next).finish());
    ctx.events.emit('set_content_deal', { content: id, owner, deal_id: String(dealId), height: String(ctx.block.height) });
    return next;
  }

  getContentKey(store: ReadonlyKVStore, content: string, keyId: string, holder: string): ContentKey | undefined {
    const v = store.get(contentKeyKey(content, keyId, holder));
    return v ? decodeContentKey(v) : undefined;
  }

  /** Owner only; every key id must be the content's and every holder a key holder. Each entry replaces the stored (key id, holder). */
  setContentKeys(ctx: Context, owner: string, id: string, keys: readonly SealedKeyEntry[]): void {
    const c = this.mustOwn(ctx.store, id, owner);
    const declared = new Set(c.keyIds);
    for (const k of keys) {
      if (!declared.has(k.keyId)) throw ErrUnknownKeyId(`content ${id} declares no key id ${JSON.stringify(k.keyId)}`);
      if (!ctx.store.has(keyHolderKey(k.holder))) throw ErrNoHolderKey(`${k.holder} has published no key-holder key (MsgSetKeyHolderKey)`);
    }
    for (const k of keys) {
      const entry: ContentKey = { content: id, keyId: k.keyId, holder: k.holder, sealed: k.sealed, height: ctx.block.height };
      ctx.store.set(contentKeyKey(id, k.keyId, k.holder), pb.ContentKey.encode(entry).finish());
    }
    ctx.events.emit('set_content_keys', {
      content: id,
      owner,
      key_ids: [...new Set(keys.map((k) => k.keyId))].join(','),
      holders: [...new Set(keys.map((k) => k.holder))].sort().join(','),
      count: String(keys.length),
      height: String(ctx.block.height),
    });
  }

  // ---- grants ----

  getGrant(store: ReadonlyKVStore, content: string, grantee: string): Grant | undefined {
    const v = store.get(grantKey(content, grantee));
    return v ? decodeGrant(v) : undefined;
  }

  private setGrant(store: KVStore, g: Grant): void {
    store.set(grantKey(g.content, g.grantee), pb.Grant.encode(g).finish());
  }

  private grantEvent(ctx: Context, type: 'grant' | 'revoke', g: Grant): void {
    ctx.events.emit(type, { content: g.content, grantee: g.grantee, owner: g.granter, expiry: String(g.expiry), height: String(ctx.block.height) });
  }

  /** Owner only. A new grant, or a re-grant: active again (if it was revoked) with the new expiry. */
  grant(ctx: Context, owner: string, content: string, grantee: string, expiry: number): Grant {
    this.mustOwn(ctx.store, content, owner);
    const now = ctx.block.time.seconds;
    if (expiry !== 0 && expiry <= now) throw ErrInvalidExpiry(`expiry ${expiry} is not after this block's time ${now} (0 = never expires)`);
    const previous = this.getGrant(ctx.store, content, grantee);
    const g: Grant = { content, grantee, granter: owner, expiry, revoked: false, grantedHeight: ctx.block.height, revokedHeight: previous?.revokedHeight ?? 0 };
    this.setGrant(ctx.store, g);
    if (expiry !== 0) this.noteExpiry(ctx, expiry);
    if (!previous) ctx.store.set(grantsOfKey(grantee, content), new Uint8Array());
    this.grantEvent(ctx, 'grant', g);
    return g;
  }

  /** Owner only; the grant must exist and not be revoked already. Gateways refuse keys from the next block on. */
  revoke(ctx: Context, owner: string, content: string, grantee: string): Grant {
    this.mustOwn(ctx.store, content, owner);
    const g = this.getGrant(ctx.store, content, grantee);
    if (!g) throw ErrGrantNotFound(`${grantee} holds no grant of content ${content}`);
    if (g.revoked) throw ErrAlreadyRevoked(`the grant of content ${content} to ${grantee} was already revoked at height ${g.revokedHeight}`);
    const next: Grant = { ...g, revoked: true, revokedHeight: ctx.block.height };
    this.setGrant(ctx.store, next);
    this.grantEvent(ctx, 'revoke', next);
    return next;
  }
}
