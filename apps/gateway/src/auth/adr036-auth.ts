import { adr036Problem } from '@trucom/crypto';
import type { StdSignature } from '@cosmjs/amino';

/**
 * `Authorization: ADR036 <base64 JSON {signer, data, pub_key, signature}>`: a statement signed with the
 * account's key as Keplr's `signArbitrary` does (ADR-036), used to authenticate uploads and key requests.
 */
export interface Adr036Credentials {
  readonly signer: string;
  readonly data: string;
  readonly pub_key: StdSignature['pub_key'];
  readonly signature: string;
}

/** How far a signed time may be from the gateway's clock. */
export const AUTH_WINDOW_S = 300;

export function adr036Authorization(credentials: Adr036Credentials): string {
  return `ADR036 ${Buffer.from(JSON.stringify(credentials)).toString('base64')}`;
}

/** The verified signer and statement of an Authorization header, or why not (answered with 401). */
export function verifyAdr036Header(header: string | undefined): { signer: string; data: string } | { problem: string } {
  const m = /^ADR036\s+([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return { problem: 'missing or malformed Authorization header: expected "ADR036 <base64 JSON {signer, data, pub_key, signature}>"' };
  let c: Adr036Credentials;
  try {
    c = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as Adr036Credentials;
  } catch {
    return { problem: 'the Authorization credentials are not base64 JSON' };
  }
  if (typeof c?.signer !== 'string' || typeof c.data !== 'string' || typeof c.signature !== 'string') return { problem: 'credentials need signer, data, pub_key and signature' };
  const problem = adr036Problem(c.signer, c.data, { pub_key: c.pub_key, signature: c.signature });
  return problem ? { problem: `bad signature: ${problem}` } : { signer: c.signer, data: c.data };
}

/** Whether a signed time (unix seconds, or milliseconds) is within AUTH_WINDOW_S of `nowSeconds`. */
export function fresh(ts: number, nowSeconds: number): boolean {
  const seconds = ts > 1e12 ? ts / 1000 : ts;
  return Number.isFinite(seconds) && Math.abs(seconds - nowSeconds) <= AUTH_WINDOW_S;
}

/** The signed statement a publisher sends with an upload: `trucom upload <unix seconds>`. */
const UPLOAD_STATEMENT = /^trucom upload (\d{1,13})$/;

/** Who is uploading, or why not. */
export function authenticateUpload(header: string | undefined, nowSeconds: number): { signer: string } | { problem: string } {
  const who = verifyAdr036Header(header);
  if ('problem' in who) return who;
  const statement = UPLOAD_STATEMENT.exec(who.data);
  if (!statement) return { problem: 'the signed data must read "trucom upload <unix seconds>"' };
  if (!fresh(Number(statement[1]), nowSeconds)) return { problem: `the signed time is more than ${AUTH_WINDOW_S} s away from the gateway's clock` };
  return { signer: who.signer };
}
