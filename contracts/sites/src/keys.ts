/** Store keys of the sites module; every key starts with "sites/". */
export const SITE_PREFIX = 'sites/site/';
/** queries: owner → names. */
export const SITES_BY_OWNER_PREFIX = 'sites/by_owner/';

export const siteKey = (name: string) => SITE_PREFIX + name;
export const sitesByOwnerKey = (owner: string, name: string) => `${SITES_BY_OWNER_PREFIX}${owner}/${name}`;
export const sitesOfOwnerPrefix = (owner: string) => `${SITES_BY_OWNER_PREFIX}${owner}/`;
