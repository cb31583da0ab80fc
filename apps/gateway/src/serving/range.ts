/** What a request's `Range` header asks of a resource of `size` bytes (RFC 9110 §14). */
export type RangeRequest =
  /** Serve the whole resource (no header, a multi-range or a header we do not understand). */
  | { readonly kind: 'whole' }
  /** Serve bytes [start, end] inclusive with 206. */
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  /** Answer 416 with `Content-Range: bytes *\/size`. */
  | { readonly kind: 'unsatisfiable' };

const WHOLE: RangeRequest = { kind: 'whole' };
const UNSATISFIABLE: RangeRequest = { kind: 'unsatisfiable' };

/**
 * Single byte ranges only, as the IPFS gateway spec asks (multiple ranges are optional, and a server
 * may ignore any Range header it does not serve): `bytes=a-b`, `bytes=a-`, `bytes=-n`.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header) return WHOLE;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return WHOLE;
  const [, first, last] = m as unknown as [string, string, string];
  if (first === '' && last === '') return WHOLE;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return WHOLE; // syntactically invalid: RFC 9110 says ignore the header
  if (start >= size) return UNSATISFIABLE;
  return { kind: 'partial', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
