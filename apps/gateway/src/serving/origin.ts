/**
 * Which content a request's Host names. Sites get an origin each (`{name}.sites.localhost`), so their
 * `_redirects` rules and scripts stay same-origin; everything else is the path gateway.
 */
export type Origin = { readonly kind: 'path-gateway' } | { readonly kind: 'site'; readonly name: string };

export const SITES_DOMAIN = 'sites.localhost';
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function originOf(host: string | undefined, sitesDomain = SITES_DOMAIN): Origin {
  const hostname = (host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  const suffix = `.${sitesDomain}`;
  if (!hostname.endsWith(suffix)) return { kind: 'path-gateway' };
  const name = hostname.slice(0, -suffix.length);
  return LABEL.test(name) ? { kind: 'site', name } : { kind: 'path-gateway' };
}

/** Whether `name` may be a site name: one DNS label, lower case. */
export function isSiteName(name: string): boolean {
  return LABEL.test(name);
}
