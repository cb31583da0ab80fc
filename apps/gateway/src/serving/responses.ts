/** The shape every gateway answer takes before an HTTP framework writes it, and the common ones. */
export interface GatewayResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Absent for HEAD, 304 and redirects. */
  readonly body?: Uint8Array | string | AsyncIterable<Uint8Array>;
  /** The deal whose bandwidth budget pays for the body (metering). */
  readonly dealId?: string;
}

/** CORS as the gateway conformance suite's TestCors checks it. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Range, User-Agent, X-Requested-With',
  'access-control-expose-headers': 'Content-Range, Content-Length, X-Ipfs-Path, X-Ipfs-Roots, X-Chunked-Output, X-Stream-Output',
};

export const IMMUTABLE = 'public, max-age=29030400, immutable';

/** A JSON error body: `{"error": message, ...details}` with CORS, so browsers can read it too. */
export function jsonError(status: number, message: string, details: Record<string, unknown> = {}): GatewayResponse {
  return {
    status,
    headers: { ...CORS_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({ error: message, ...details }),
  };
}

export function redirect(status: number, location: string, extra: Record<string, string> = {}): GatewayResponse {
  return { status, headers: { ...CORS_HEADERS, location, ...extra } };
}
