import { isValidAddress } from '@trucom/crypto';
import { ErrInvalidAddress, ErrInvalidRequest, ErrKeyNotFound, type QueryHandler } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { SITE_NAME, type SitesKeeper } from './keeper.js';
import { sitesOfOwnerPrefix } from './keys.js';

const pb = trucom.sites.v1;

/** Query paths `/trucom.sites.v1.Query/Site` and `/Sites` (by owner). */
export function sitesQueries(keeper: SitesKeeper): Record<string, QueryHandler> {
  return {
    '/trucom.sites.v1.Query/Site': (ctx, data) => {
      const { name } = pb.QuerySiteRequest.decode(data);
      if (!SITE_NAME.test(name)) throw ErrInvalidRequest(`invalid site name ${JSON.stringify(name.slice(0, 70))}`);
      const site = keeper.getSite(ctx.store, name);
      if (!site) throw ErrKeyNotFound(`rpc error: code = NotFound desc = site ${name} not found`);
      return pb.QuerySiteResponse.encode({ site }).finish();
    },
    '/trucom.sites.v1.Query/Sites': async (ctx, data) => {
      const { owner } = pb.QuerySitesRequest.decode(data);
      if (!isValidAddress(owner)) throw ErrInvalidAddress(`invalid owner address ${JSON.stringify(owner)}`);
      const prefix = sitesOfOwnerPrefix(owner);
      const sites = [];
      for await (const [key] of ctx.store.iterate(prefix)) sites.push(keeper.getSite(ctx.store, key.slice(prefix.length))!);
      return pb.QuerySitesResponse.encode({ sites }).finish();
    },
  };
}
