/**
 * The `_redirects` file of a site (ipfs/specs web-redirects-file): `from to [status]` per line,
 * `:placeholders`, a trailing `*` splat, first match wins, evaluated only for paths absent from the DAG.
 */
export interface RedirectRule {
  readonly from: string;
  readonly to: string;
  readonly status: number;
}

/** What a matched rule asks: a rewrite (serve `path` with `status`) or an HTTP redirect to `location`. */
export type RedirectOutcome = { readonly kind: 'rewrite'; readonly path: string; readonly status: number } | { readonly kind: 'redirect'; readonly location: string; readonly status: number };

export const MAX_REDIRECTS_FILE_BYTES = 64 * 1024;
const STATUSES = new Set([200, 301, 302, 303, 307, 308, 404, 410, 451]);
const REWRITES = new Set([200, 404, 410, 451]);

export class RedirectsFileError extends Error {
  override readonly name = 'RedirectsFileError';
}

/** Parses the file; any malformed line is an error (the gateway answers it with 500, as the spec says). */
export function parseRedirects(text: string): RedirectRule[] {
  if (Buffer.byteLength(text) > MAX_REDIRECTS_FILE_BYTES) throw new RedirectsFileError(`_redirects is larger than ${MAX_REDIRECTS_FILE_BYTES} bytes`);
  const rules: RedirectRule[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    const where = `_redirects line ${i + 1}`;
    if (fields.length < 2) throw new RedirectsFileError(`${where}: expected "from to [status]"`);
    if (fields.length > 3) throw new RedirectsFileError(`${where}: too many fields`);
    const [from, to, code] = fields as [string, string, string | undefined];
    if (!from.startsWith('/')) throw new RedirectsFileError(`${where}: "from" must be a path starting with /`);
    if (from.includes('*') && !(from.endsWith('/*') && from.indexOf('*') === from.length - 1)) {
      throw new RedirectsFileError(`${where}: "*" is only allowed as the last path segment`);
    }
    if (!to.startsWith('/') && !/^https?:\/\//i.test(to)) throw new RedirectsFileError(`${where}: "to" must be a path or an http(s) URL`);
    const status = code === undefined ? 301 : /^\d{3}$/.test(code) ? Number(code) : NaN;
    if (!STATUSES.has(status)) throw new RedirectsFileError(`${where}: status ${code} is not one of ${[...STATUSES].join(', ')}`);
    rules.push({ from, to, status });
  });
  return rules;
}

/** The first rule matching `path` (a decoded absolute path), with its placeholders filled in. */
export function matchRedirect(rules: readonly RedirectRule[], path: string): RedirectOutcome | undefined {
  const segments = splitPath(path);
  for (const rule of rules) {
    const params = matchSegments(splitPath(rule.from), segments);
    if (!params) continue;
    const target = rule.to.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => params.get(name) ?? whole);
    if (REWRITES.has(rule.status) && target.startsWith('/')) return { kind: 'rewrite', path: target, status: rule.status };
    return { kind: 'redirect', location: target, status: rule.status };
  }
  return undefined;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): Map<string, string> | undefined {
  const params = new Map<string, string>();
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === '*' && i === pattern.length - 1) {
      params.set('splat', segments.slice(i).join('/'));
      return params;
    }
    const s = segments[i];
    if (s === undefined) return undefined;
    if (p.startsWith(':')) params.set(p.slice(1), s);
    else if (p !== s) return undefined;
  }
  return pattern.length === segments.length ? params : undefined;
}
