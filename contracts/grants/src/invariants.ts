import type { Invariant } from '@trucom/chain';
import { decodeContent, decodeGrant, type Content, type GrantsKeeper } from './keeper.js';
import { CONTENT_PREFIX, GRANT_PREFIX, GRANTS_OF_PREFIX, grantsOfKey, grantKey } from './keys.js';
import { SEALED_KEY_BYTES } from './params.js';
import { contentKeysOf } from './queries.js';

/**
 * Sealed keys: every stored key belongs to a registered content, names one of its key ids and a key
 * holder, sits under its own (content, key id, holder) key and is SEALED_KEY_BYTES long.
 */
export function contentKeysInvariant(keeper: GrantsKeeper): Invariant {
  return async (ctx) => {
    const problems: string[] = [];
    for await (const [, value] of ctx.store.iterate(CONTENT_PREFIX)) {
      const c: Content = decodeContent(value);
      const declared = new Set(c.keyIds);
      if (declared.size !== c.keyIds.length) problems.push(`content ${c.id}: duplicate key ids`);
      for (const k of await contentKeysOf(ctx.store, c.id)) {
        const at = `content ${c.id} key ${k.keyId} holder ${k.holder}`;
        if (k.content !== c.id) problems.push(`${at}: stored under another content (${k.content})`);
        if (!declared.has(k.keyId)) problems.push(`${at}: key id not declared by the content`);
        if (!keeper.getKeyHolder(ctx.store, k.holder)) problems.push(`${at}: holder has no key-holder key`);
        if (k.sealed.length !== SEALED_KEY_BYTES) problems.push(`${at}: sealed key is ${k.sealed.length} bytes`);
      }
    }
    return problems.length ? problems.join('; ') : undefined;
  };
}

/**
 * Grants: each belongs to a registered content and was given by its owner; the grantee index lists
 * exactly the stored grants.
 */
export function grantsInvariant(keeper: GrantsKeeper): Invariant {
  return async (ctx) => {
    const problems: string[] = [];
    let grants = 0;
    for await (const [key, value] of ctx.store.iterate(GRANT_PREFIX)) {
      const g = decodeGrant(value);
      grants++;
      const at = `grant of ${g.content} to ${g.grantee}`;
      if (key !== grantKey(g.content, g.grantee)) problems.push(`${at}: stored under ${key}`);
      const c = keeper.getContent(ctx.store, g.content);
      if (!c) problems.push(`${at}: content not registered`);
      else if (c.owner !== g.granter) problems.push(`${at}: granted by ${g.granter}, the content belongs to ${c.owner}`);
      if (!ctx.store.has(grantsOfKey(g.grantee, g.content))) problems.push(`${at}: missing from the grantee index`);
      if (g.revoked && g.revokedHeight === 0) problems.push(`${at}: revoked without a revoke height`);
    }
    let indexed = 0;
    for await (const [key] of ctx.store.iterate(GRANTS_OF_PREFIX)) {
      indexed++;
      const [grantee, content] = key.slice(GRANTS_OF_PREFIX.length).split('/');
      if (!keeper.getGrant(ctx.store, content!, grantee!)) problems.push(`grantee index ${key}: no such grant`);
    }
    if (indexed !== grants) problems.push(`${grants} grants, ${indexed} grantee index entries`);
    return problems.length ? problems.join('; ') : undefined;
  };
}
