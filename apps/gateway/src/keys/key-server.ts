import { fresh, verifyAdr036Header, AUTH_WINDOW_S } from '../auth/adr036-auth.js';
import { CORS_HEADERS, jsonError, type GatewayResponse } from '../serving/responses.js';

/** What the chain says, as of its latest committed height. */
export interface KeyAuthority {
  /** Whether `grantee` holds an unrevoked, unexpired grant on `content`. */
  grantActive(content: string, grantee: string): Promise<boolean>;
  /** The clear 16-byte key of `keyId`, opened from this gateway's sealed copy; undefined when none is sealed to it. */
  contentKey(content: string, keyId: string): Promise<Uint8Array | undefined>;
}

const ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/**
 * `GET /keys/{content}/{keyId}`: the content key, released only to a viewer whose ADR-036 signature
 * over `{"content","key","ts"}` (ts within ±5 min) is valid and who holds an active grant on chain.
 * 401 for a missing, invalid or stale signature; 403 for no active grant; 404 for a key this gateway
 * does not hold.
 */
export async function serveKey(authority: KeyAuthority, content: string, keyId: string, authorization: string | undefined, nowSeconds: number): Promise<GatewayResponse> {
  if (!ID.test(content) || !ID.test(keyId)) return jsonError(400, 'key URIs are /keys/{content}/{keyId} with ids of [a-z0-9-]');
  const who = verifyAdr036Header(authorization);
  if ('problem' in who) return jsonError(401, who.problem);
  let statement: { content?: unknown; key?: unknown; ts?: unknown };
  try {
    statement = JSON.parse(who.data) as typeof statement;
  } catch {
    return jsonError(401, 'the signed data must be the JSON {"content","key","ts"}');
  }
  if (statement?.content !== content || statement.key !== keyId) return jsonError(401, `the signature is for ${JSON.stringify(statement?.content)}/${JSON.stringify(statement?.key)}, not ${content}/${keyId}`);
  if (typeof statement.ts !== 'number' || !fresh(statement.ts, nowSeconds)) return jsonError(401, `the signed ts must be within ${AUTH_WINDOW_S} s of the gateway's clock`);
  if (!(await authority.grantActive(content, who.signer))) return jsonError(403, `${who.signer} holds no active grant on ${content} (never granted, revoked or expired)`, { content, grantee: who.signer });
  const key = await authority.contentKey(content, keyId);
  if (!key) return jsonError(404, `this gateway holds no key ${keyId} of ${content}`);
  return { status: 200, headers: { ...CORS_HEADERS, 'content-type': 'application/octet-stream', 'content-length': String(key.length), 'cache-control': 'no-store' }, body: key };
}
