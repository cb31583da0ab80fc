import { isValidAddress, isValidX25519PublicKey } from '@trucom/crypto';
import { ErrInvalidAddress, type Context, type MsgHandler } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { ErrInvalidContentId, ErrInvalidHolderKey, ErrInvalidKeyId, ErrInvalidKeys, ErrInvalidSealedKey } from './errors.js';
import type { GrantsKeeper } from './keeper.js';
import { CONTENT_ID, KEY_ID, MAX_KEY_IDS, MAX_KEYS_PER_MSG, SEALED_KEY_BYTES } from './params.js';

const pb = trucom.grants.v1;

export const GRANTS_MSG_TYPES = {
  '/trucom.grants.v1.MsgSetKeyHolderKey': pb.MsgSetKeyHolderKey,
  '/trucom.grants.v1.MsgRegisterContent': pb.MsgRegisterContent,
  '/trucom.grants.v1.MsgSetContentDeal': pb.MsgSetContentDeal,
  '/trucom.grants.v1.MsgSetContentKeys': pb.MsgSetContentKeys,
  '/trucom.grants.v1.MsgGrant': pb.MsgGrant,
  '/trucom.grants.v1.MsgRevoke': pb.MsgRevoke,
} as const;

/** [typeUrl, protobufjs class] pairs for a cosmjs Registry. */
export const grantsRegistryTypes = Object.entries(GRANTS_MSG_TYPES) as [string, (typeof GRANTS_MSG_TYPES)[keyof typeof GRANTS_MSG_TYPES]][];

const quote = (s: string) => JSON.stringify(s.slice(0, 70));

export function requireAddress(address: string, field: string): void {
  if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid ${field} address ${quote(address)}`);
}

export function checkContentId(id: string): void {
  if (!CONTENT_ID.test(id)) throw ErrInvalidContentId(`${quote(id)} is not a content id ([a-z0-9-], 1-64 characters)`);
}

export function checkKeyId(id: string): void {
  if (!KEY_ID.test(id)) throw ErrInvalidKeyId(`${quote(id)} is not a key id ([A-Za-z0-9._-], 1-64 characters)`);
}

export function checkHolderKey(x25519Pubkey: Uint8Array): void {
  if (x25519Pubkey.length !== 32) throw ErrInvalidHolderKey(`an X25519 public key is 32 bytes, got ${x25519Pubkey.length}`);
  if (!isValidX25519PublicKey(x25519Pubkey)) throw ErrInvalidHolderKey('the X25519 public key is a low-order point');
}

/** 1…MAX_KEY_IDS distinct, well-formed key ids. */
export function checkKeyIds(keyIds: readonly string[]): void {
  if (keyIds.length === 0 || keyIds.length > MAX_KEY_IDS) throw ErrInvalidKeyId(`a content declares 1 to ${MAX_KEY_IDS} key ids, got ${keyIds.length}`);
  keyIds.forEach(checkKeyId);
  const seen = new Set<string>();
  for (const id of keyIds) {
    if (seen.has(id)) throw ErrInvalidKeyId(`key id ${quote(id)} appears twice`);
    seen.add(id);
  }
}

/** 1…MAX_KEYS_PER_MSG entries, each (key id, holder) once, each sealed key SEALED_KEY_BYTES long. */
export function checkSealedKeys(keys: readonly trucom.grants.v1.ISealedKey[]): void {
  if (keys.length === 0 || keys.length > MAX_KEYS_PER_MSG) throw ErrInvalidKeys(`a MsgSetContentKeys carries 1 to ${MAX_KEYS_PER_MSG} keys, got ${keys.length}`);
  const seen = new Set<string>();
  for (const k of keys) {
    checkKeyId(k.keyId ?? '');
    requireAddress(k.holder ?? '', 'holder');
    const size = k.sealed?.length ?? 0;
    if (size !== SEALED_KEY_BYTES) throw ErrInvalidSealedKey(`key ${quote(k.keyId ?? '')} for ${k.holder}: a sealed 16-byte key is ${SEALED_KEY_BYTES} bytes, got ${size}`);
    const id = `${k.keyId}/${k.holder}`;
    if (seen.has(id)) throw ErrInvalidKeys(`key ${quote(k.keyId ?? '')} for ${k.holder} appears twice`);
    seen.add(id);
  }
}

/** MsgGrant and MsgRevoke: owner, content, grantee. */
function checkGrantFields(m: { owner: string; content: string; grantee: string }): void {
  requireAddress(m.owner, 'owner');
  checkContentId(m.content);
  requireAddress(m.grantee, 'grantee');
}

type MsgOf<K extends keyof typeof GRANTS_MSG_TYPES> = ReturnType<(typeof GRANTS_MSG_TYPES)[K]['decode']>;

function handler<K extends keyof typeof GRANTS_MSG_TYPES>(
  typeUrl: K,
  signer: (msg: MsgOf<K>) => string,
  validate: (msg: MsgOf<K>) => void,
  execute: (ctx: Context, msg: MsgOf<K>) => void,
): MsgHandler<MsgOf<K>> {
  const type = GRANTS_MSG_TYPES[typeUrl];
  return {
    typeUrl,
    decode: (bytes) => type.decode(bytes) as MsgOf<K>,
    signers: (msg) => [signer(msg)],
    validate,
    execute(ctx, msg) {
      execute(ctx, msg);
      return { typeUrl: `${typeUrl}Response`, value: new Uint8Array() };
    },
  };
}

export function grantsMsgHandlers(keeper: GrantsKeeper): MsgHandler[] {
  return [
    handler(
      '/trucom.grants.v1.MsgSetKeyHolderKey',
      (m) => m.holder,
      (m) => {
        requireAddress(m.holder, 'holder');
        checkHolderKey(m.x25519Pubkey);
      },
      (ctx, m) => keeper.setKeyHolderKey(ctx, m.holder, m.x25519Pubkey),
    ),
    handler(
      '/trucom.grants.v1.MsgRegisterContent',
      (m) => m.owner,
      (m) => {
        requireAddress(m.owner, 'owner');
        checkContentId(m.content);
        checkKeyIds(m.keyIds);
      },
      (ctx, m) => keeper.registerContent(ctx, m.owner, m.content, m.dealId, m.keyIds),
    ),
    handler(
      '/trucom.grants.v1.MsgSetContentDeal',
      (m) => m.owner,
      (m) => {
        requireAddress(m.owner, 'owner');
        checkContentId(m.content);
      },
      (ctx, m) => keeper.setContentDeal(ctx, m.owner, m.content, m.dealId),
    ),
    handler(
      '/trucom.grants.v1.MsgSetContentKeys',
      (m) => m.owner,
      (m) => {
        requireAddress(m.owner, 'owner');
        checkContentId(m.content);
        checkSealedKeys(m.keys);
      },
      (ctx, m) => keeper.setContentKeys(ctx, m.owner, m.content, m.keys.map((k) => ({ keyId: k.keyId ?? '', holder: k.holder ?? '', sealed: k.sealed ?? new Uint8Array() }))),
    ),
    handler(
      '/trucom.grants.v1.MsgGrant',
      (m) => m.owner,
      checkGrantFields,
      (ctx, m) => keeper.grant(ctx, m.owner, m.content, m.grantee, m.expiry),
    ),
    handler(
      '/trucom.grants.v1.MsgRevoke',
      (m) => m.owner,
      checkGrantFields,
      (ctx, m) => keeper.revoke(ctx, m.owner, m.content, m.grantee),
    ),
  ];
}
