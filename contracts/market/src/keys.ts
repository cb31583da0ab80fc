/**
 * Store keys of the market module; every key starts with "market/". Execution never iterates: the
 * provider list and the per-epoch due queues are explicit; prefixes marked "queries" exist only so
 * queries and invariants can scan.
 */
export const PARAMS = 'market/params';
export const PROVIDER_PREFIX = 'market/provider/';
/** JSON array of every registered provider address, sorted (assignment walks it). */
export const PROVIDERS_INDEX = 'market/providers';
export const DEAL_PREFIX = 'market/deal/';
export const NEXT_DEAL_ID = 'market/next_deal_id';
/** queries: owner → deal ids. */
export const DEALS_BY_OWNER_PREFIX = 'market/deals_by_owner/';
/** queries: provider → deals it holds a live replica of (challenges). */
export const DEALS_BY_PROVIDER_PREFIX = 'market/deals_by_provider/';
/** queries: root CID → deals (gateways check payment by CID). */
export const DEALS_BY_CID_PREFIX = 'market/deals_by_cid/';
/** The challenge seed of an epoch: the hash of the epoch's first block. */
export const EPOCH_SEED_PREFIX = 'market/epoch_seed/';
/** Deals to settle at the end of an epoch: `due/<epoch>/n` (count) and `due/<epoch>/<i>` (deal id). */
export const DUE_PREFIX = 'market/due/';

/** Fixed-width decimal so keys sort numerically. */
export const pad = (n: number) => n.toString().padStart(20, '0');

export const providerKey = (address: string) => PROVIDER_PREFIX + address;
export const dealKey = (id: number) => DEAL_PREFIX + pad(id);
export const dealsByOwnerKey = (owner: string, id: number) => `${DEALS_BY_OWNER_PREFIX}${owner}/${pad(id)}`;
export const dealsOfOwnerPrefix = (owner: string) => `${DEALS_BY_OWNER_PREFIX}${owner}/`;
export const dealsByProviderKey = (provider: string, id: number) => `${DEALS_BY_PROVIDER_PREFIX}${provider}/${pad(id)}`;
export const dealsOfProviderPrefix = (provider: string) => `${DEALS_BY_PROVIDER_PREFIX}${provider}/`;
export const dealsByCidKey = (cid: string, id: number) => `${DEALS_BY_CID_PREFIX}${cid}/${pad(id)}`;
export const dealsOfCidPrefix = (cid: string) => `${DEALS_BY_CID_PREFIX}${cid}/`;
export const epochSeedKey = (epoch: number) => EPOCH_SEED_PREFIX + pad(epoch);
export const dueCountKey = (epoch: number) => `${DUE_PREFIX}${pad(epoch)}/n`;
export const dueKey = (epoch: number, i: number) => `${DUE_PREFIX}${pad(epoch)}/${pad(i)}`;
