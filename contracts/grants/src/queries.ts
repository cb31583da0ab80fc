import { isValidAddress } from '@trucom/crypto';
import { ErrInvalidAddress, ErrInvalidRequest, ErrKeyNotFound, type IterableKVStore, type QueryHandler } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { decodeContentKey, decodeGrant, decodeKeyHolder, isGrantActive, type ContentKey, type Grant, type GrantsKeeper } from './keeper.js';
import { contentKeysPrefix, grantsOfContentPrefix, grantsOfGranteePrefix, KEY_HOLDER_PREFIX } from './keys.js';
import { CONTENT_ID, KEY_ID } from './params.js';

const pb = trucom.grants.v1;
const notFound = (what: string) => ErrKeyNotFound(`rpc error: code = NotFound desc = ${what} not found`);

function requireAddress(address: string, field: string): void {
  if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid ${field} address ${JSON.stringify(address.slice(0, 70))}`);
}

function requireContentId(id: string): void {
  if (!CONTENT_ID.test(id)) throw ErrInvalidRequest(`invalid content id ${JSON.stringify(id.slice(0, 70))}`);
}

/** Every sealed key of a content (key id, then holder order). */
export async function contentKeysOf(store: IterableKVStore, content: string): Promise<ContentKey[]> {
  const out: ContentKey[] = [];
  for await (const [, value] of store.iterate(contentKeysPrefix(content))) out.push(decodeContentKey(value));
  return out;
}

export async function grantsOfContent(store: IterableKVStore, content: string): Promise<Grant[]> {
  const out: Grant[] = [];
  for await (const [, value] of store.iterate(grantsOfContentPrefix(content))) out.push(decodeGrant(value));
  return out;
}

/**
 * Query paths `/trucom.grants.v1.Query/…` (abci_query; protobuf in and out, see query.proto).
 * `active` is judged at the last committed block, whose height comes with the answer.
 */
export function grantsQueries(keeper: GrantsKeeper): Record<string, QueryHandler> {
  const statuses = (grants: readonly Grant[], time: number) => grants.map((grant) => ({ grant, active: isGrantActive(grant, time) }));
  return {
    '/trucom.grants.v1.Query/Content': async (ctx, data) => {
      const { content } = pb.QueryContentRequest.decode(data);
      requireContentId(content);
      const c = keeper.getContent(ctx.store, content);
      if (!c) throw notFound(`content ${content}`);
      const holders = new Map<string, string[]>(c.keyIds.map((id) => [id, []]));
      for (const k of await contentKeysOf(ctx.store, content)) holders.get(k.keyId)?.push(k.holder);
      return pb.QueryContentResponse.encode({ content: c, keys: c.keyIds.map((keyId) => ({ keyId, holders: holders.get(keyId)!.sort() })) }).finish();
    },
    '/trucom.grants.v1.Query/ContentKey': (ctx, data) => {
      const { content, keyId, holder } = pb.QueryContentKeyRequest.decode(data);
      requireContentId(content);
      if (!KEY_ID.test(keyId)) throw ErrInvalidRequest(`invalid key id ${JSON.stringify(keyId.slice(0, 70))}`);
      requireAddress(holder, 'holder');
      if (!keeper.getContent(ctx.store, content)) throw notFound(`content ${content}`);
      const key = keeper.getContentKey(ctx.store, content, keyId, holder);
      if (!key) throw notFound(`key ${keyId} of content ${content} for holder ${holder}`);
      return pb.QueryContentKeyResponse.encode({ key }).finish();
    },
    '/trucom.grants.v1.Query/Grant': (ctx, data) => {
      const { content, grantee } = pb.QueryGrantRequest.decode(data);
      requireContentId(content);
      requireAddress(grantee, 'grantee');
      const grant = keeper.getGrant(ctx.store, content, grantee);
      if (!grant) throw notFound(keeper.getContent(ctx.store, content) ? `grant of content ${content} to ${grantee}` : `content ${content}`);
      const blockTime = keeper.blockTime(ctx.store);
      return pb.QueryGrantResponse.encode({ grant, active: isGrantActive(grant, blockTime), height: ctx.height }).finish();
    },
    '/trucom.grants.v1.Query/Grants': async (ctx, data) => {
      const { content } = pb.QueryGrantsRequest.decode(data);
      requireContentId(content);
      if (!keeper.getContent(ctx.store, content)) throw notFound(`content ${content}`);
      const blockTime = keeper.blockTime(ctx.store);
      return pb.QueryGrantsResponse.encode({ grants: statuses(await grantsOfContent(ctx.store, content), blockTime), height: ctx.height }).finish();
    },
    '/trucom.grants.v1.Query/GrantsOf': async (ctx, data) => {
      const { grantee } = pb.QueryGrantsOfRequest.decode(data);
      requireAddress(grantee, 'grantee');
      const prefix = grantsOfGranteePrefix(grantee);
      const grants: Grant[] = [];
      for await (const [key] of ctx.store.iterate(prefix)) grants.push(keeper.getGrant(ctx.store, key.slice(prefix.length), grantee)!);
      const blockTime = keeper.blockTime(ctx.store);
      return pb.QueryGrantsResponse.encode({ grants: statuses(grants, blockTime), height: ctx.height }).finish();
    },
    '/trucom.grants.v1.Query/KeyHolder': (ctx, data) => {
      const { holder } = pb.QueryKeyHolderRequest.decode(data);
      requireAddress(holder, 'holder');
      const keyHolder = keeper.getKeyHolder(ctx.store, holder);
      if (!keyHolder) throw notFound(`key holder ${holder}`);
      return pb.QueryKeyHolderResponse.encode({ keyHolder }).finish();
    },
    '/trucom.grants.v1.Query/KeyHolders': async (ctx) => {
      const keyHolders = [];
      for await (const [, value] of ctx.store.iterate(KEY_HOLDER_PREFIX)) keyHolders.push(decodeKeyHolder(value));
      return pb.QueryKeyHoldersResponse.encode({ keyHolders }).finish();
    },
  };
}
