import { CID } from 'multiformats/cid';
import type { TrucomQueries } from '@trucom/client';
import { TtlCache } from './ttl-cache.js';

export const SITE_TTL_MS = 2_000;

/** Site name → current root CID, from the chain's sites registry (an update shows within SITE_TTL_MS). */
export class SiteDirectory {
  private readonly cache = new TtlCache<{ root: CID } | undefined>(SITE_TTL_MS);

  constructor(private readonly chain: Pick<TrucomQueries, 'site'>) {}

  root(name: string): Promise<{ root: CID } | undefined> {
    return this.cache.get(name, async () => {
      const site = await this.chain.site(name);
      return site?.rootCid ? { root: CID.parse(site.rootCid) } : undefined;
    });
  }
}
