import { toBase64, toHex } from '@trucom/crypto';
import type { trucom } from '@trucom/proto';

/**
 * JSON shapes of the grants REST routes: snake_case; heights, deal ids and expiry (unix seconds) as
 * numbers; X25519 keys in hex; sealed keys in base64.
 */
export function grantJson(g: trucom.grants.v1.IGrant, active: boolean) {
  return {
    content: g.content ?? '',
    grantee: g.grantee ?? '',
    granter: g.granter ?? '',
    expiry: g.expiry ?? 0,
    revoked: g.revoked ?? false,
    active,
    granted_height: g.grantedHeight ?? 0,
    revoked_height: g.revokedHeight ?? 0,
  };
}

export function contentJson(r: trucom.grants.v1.IQueryContentResponse) {
  const c = r.content!;
  return {
    id: c.id ?? '',
    owner: c.owner ?? '',
    deal_id: c.dealId ?? 0,
    key_ids: c.keyIds ?? [],
    keys: (r.keys ?? []).map((k) => ({ key_id: k.keyId ?? '', holders: k.holders ?? [] })),
    created_height: c.createdHeight ?? 0,
  };
}

export function keyHolderJson(k: trucom.grants.v1.IKeyHolder) {
  return { holder: k.holder ?? '', x25519_pubkey: toHex(k.x25519Pubkey ?? new Uint8Array()), updated_height: k.updatedHeight ?? 0 };
}

export function contentKeyJson(k: trucom.grants.v1.IContentKey) {
  return { content: k.content ?? '', key_id: k.keyId ?? '', holder: k.holder ?? '', sealed: toBase64(k.sealed ?? new Uint8Array()), height: k.height ?? 0 };
}

export function grantsJson(r: trucom.grants.v1.IQueryGrantsResponse) {
  return { grants: (r.grants ?? []).map((s) => grantJson(s.grant!, s.active ?? false)), height: r.height ?? 0 };
}
