import { adr036Problem } from '@trucom/crypto';
import type { StdSignature } from '@cosmjs/amino';

/** The signed statement a publisher sends with an upload: `trucom upload <unix seconds>`. */
export const UPLOAD_STATEMENT = /^trucom upload (\d{1,12})$/;
/** How far the statement's time may be from the gateway's clock. */
export const UPLOAD_AUTH_WINDOW_S = 300;

export interface UploadCredentials {
  readonly signer: string;
  readonly data: string;
  readonly pub_key: StdSignature['pub_key'];
  readonly signature: string;
}

/** The `Authorization: ADR036 <base64 JSON>` header value for credentials (what the CLI and dashboard send). */
export function uploadAuthorization(credentials: UploadCredentials): string {
  return `ADR036 ${Buffer.from(JSON.stringify(credentials)).toString('base64')}`;
}

/**
 * Who is uploading, from an ADR-036 signature (Keplr's `signArbitrary`) over `trucom upload <time>`,
 * or why not (answered with 401).
 */
export function authenticateUpload(header: string | undefined, nowSeconds: number): { signer: string } | { problem: string } {
  const m = /^ADR036\s+([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return { problem: 'missing or malformed Authorization header: expected "ADR036 <base64 JSON {signer, data, pub_key, signature}>"' };
  let c: UploadCredentials;
  try {
    c = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as UploadCredentials;
  } catch {
    return { problem: 'the Authorization credentials are not base64 JSON' };
  }
  if (typeof c?.signer !== 'string' || typeof c.data !== 'string' || typeof c.signature !== 'string') return { problem: 'credentials need signer, data, pub_key and signature' };
  const statement = UPLOAD_STATEMENT.exec(c.data);
  if (!statement) return { problem: 'the signed data must read "trucom upload <unix seconds>"' };
  if (Math.abs(Number(statement[1]) - nowSeconds) > UPLOAD_AUTH_WINDOW_S) return { problem: `the signed time is more than ${UPLOAD_AUTH_WINDOW_S} s away from the gateway's clock` };
  const problem = adr036Problem(c.signer, c.data, { pub_key: c.pub_key, signature: c.signature });
  return problem ? { problem: `bad upload signature: ${problem}` } : { signer: c.signer };
}
