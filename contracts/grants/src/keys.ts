/**
 * Store keys of the grants module; every key starts with "grants/". Content ids, key ids and
 * addresses never contain "/", so `<a>/` prefixes scan exactly one parent. Execution never iterates.
 */
export const KEY_HOLDER_PREFIX = 'grants/key_holder/';
export const CONTENT_PREFIX = 'grants/content/';
/** `<content>/<key_id>/<holder>` → sealed key. */
export const CONTENT_KEY_PREFIX = 'grants/content_key/';
/** `<content>/<grantee>` → grant. */
export const GRANT_PREFIX = 'grants/grant/';
/** queries: grantee → contents it holds a grant of (revoked ones included). */
export const GRANTS_OF_PREFIX = 'grants/grants_of/';
/**
 * Unix seconds of the last block that could change whether an expiring grant is active (queries
 * judge `active` against it), and the largest expiry ever granted: the time is recorded only while
 * it is below that expiry, so blocks write nothing once every expiring grant has run out.
 */
export const BLOCK_TIME = 'grants/block_time';
export const MAX_EXPIRY = 'grants/max_expiry';

export const keyHolderKey = (address: string) => KEY_HOLDER_PREFIX + address;
export const contentKey = (id: string) => CONTENT_PREFIX + id;
export const contentKeyKey = (content: string, keyId: string, holder: string) => `${CONTENT_KEY_PREFIX}${content}/${keyId}/${holder}`;
export const contentKeysPrefix = (content: string) => `${CONTENT_KEY_PREFIX}${content}/`;
export const grantKey = (content: string, grantee: string) => `${GRANT_PREFIX}${content}/${grantee}`;
export const grantsOfContentPrefix = (content: string) => `${GRANT_PREFIX}${content}/`;
export const grantsOfKey = (grantee: string, content: string) => `${GRANTS_OF_PREFIX}${grantee}/${content}`;
export const grantsOfGranteePrefix = (grantee: string) => `${GRANTS_OF_PREFIX}${grantee}/`;
