import type { DagScope } from '@trucom/content';

/** Which representation a gateway request asks for (`?format=` wins over `Accept`), per the trustless gateway spec. */

export type ResponseFormat =
  | { readonly kind: 'unixfs' }
  | { readonly kind: 'raw' }
  | { readonly kind: 'car'; readonly scope: DagScope }
  | { readonly kind: 'unsupported'; readonly reason: string };

const SCOPES = new Set<DagScope>(['all', 'entity', 'block']);

export function negotiateFormat(query: URLSearchParams, accept: string | undefined): ResponseFormat {
  const asked = query.get('format') ?? fromAccept(accept);
  if (asked === undefined || asked === '') return { kind: 'unixfs' };
  if (asked === 'raw') return { kind: 'raw' };
  if (asked !== 'car') return { kind: 'unsupported', reason: `format "${asked}" is not supported here: use raw or car` };
  const scope = query.get('dag-scope') ?? 'all';
  if (!SCOPES.has(scope as DagScope)) return { kind: 'unsupported', reason: `dag-scope must be all, entity or block, not "${scope}"` };
  return { kind: 'car', scope: scope as DagScope };
}

function fromAccept(accept: string | undefined): string | undefined {
  for (const part of (accept ?? '').split(',')) {
    const type = part.split(';')[0]!.trim().toLowerCase();
    if (type === 'application/vnd.ipld.raw') return 'raw';
    if (type === 'application/vnd.ipld.car') return 'car';
  }
  return undefined;
}
