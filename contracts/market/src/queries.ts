import { isValidAddress } from '@trucom/crypto';
import { ErrInvalidAddress, ErrInvalidRequest, ErrKeyNotFound, type IterableKVStore, type QueryHandler } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { challengeSeed, type MarketKeeper } from './keeper.js';
import { DEAL_PREFIX, dealsOfCidPrefix, dealsOfOwnerPrefix, dealsOfProviderPrefix, PROVIDER_PREFIX } from './keys.js';
import { checkCid } from './msgs.js';
import { epochEndHeight, epochOf, marketParamsToJson } from './params.js';
import { decodeDeal, decodeProvider, dealToProto, isLive, providerToProto, type Deal } from './types.js';

const pb = trucom.market.v1;
const notFound = (what: string) => ErrKeyNotFound(`rpc error: code = NotFound desc = ${what} not found`);

function requireAddress(address: string, field: string): void {
  if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid ${field} address ${JSON.stringify(address)}`);
}

/** Deal ids under an index prefix (keys end with the zero-padded id), in id order. */
async function idsUnder(store: IterableKVStore, prefix: string): Promise<number[]> {
  const ids: number[] = [];
  for await (const [key] of store.iterate(prefix)) ids.push(Number(key.slice(prefix.length)));
  return ids;
}

export async function allDeals(store: IterableKVStore): Promise<Deal[]> {
  const out: Deal[] = [];
  for await (const [, value] of store.iterate(DEAL_PREFIX)) out.push(decodeDeal(value));
  return out;
}

/**
 * Query paths `/trucom.market.v1.Query/…` (abci_query; protobuf in and out, see query.proto). The
 * current epoch is the one of the last committed block.
 */
export function marketQueries(keeper: MarketKeeper): Record<string, QueryHandler> {
  const currentEpoch = (store: IterableKVStore, height: number) => epochOf(height, keeper.params(store).epochBlocks);
  return {
    '/trucom.market.v1.Query/Params': (ctx) => {
      const j = marketParamsToJson(keeper.params(ctx.store));
      return pb.QueryParamsResponse.encode({
        params: {
          epochBlocks: j.epoch_blocks,
          minReplicas: j.min_replicas,
          maxReplicas: j.max_replicas,
          maxMissedEpochs: j.max_missed_epochs,
          missSlashFraction: j.miss_slash_fraction,
          allowedProfiles: j.allowed_profiles,
          minCollateral: j.min_collateral,
          denom: j.denom,
        },
      }).finish();
    },
    '/trucom.market.v1.Query/Provider': (ctx, data) => {
      const { address } = pb.QueryProviderRequest.decode(data);
      requireAddress(address, 'provider');
      const p = keeper.getProvider(ctx.store, address);
      if (!p) throw notFound(`provider ${address}`);
      return pb.QueryProviderResponse.encode({ provider: providerToProto(p) }).finish();
    },
    '/trucom.market.v1.Query/Providers': async (ctx) => {
      const providers = [];
      for await (const [, value] of ctx.store.iterate(PROVIDER_PREFIX)) providers.push(providerToProto(decodeProvider(value)));
      return pb.QueryProvidersResponse.encode({ providers }).finish();
    },
    '/trucom.market.v1.Query/Deal': (ctx, data) => {
      const { id } = pb.QueryDealRequest.decode(data);
      const deal = keeper.getDeal(ctx.store, id);
      if (!deal) throw notFound(`deal ${id}`);
      const endpoints: Record<string, string> = {};
      for (const r of deal.replicas) endpoints[r.provider] = keeper.getProvider(ctx.store, r.provider)?.endpoint ?? '';
      return pb.QueryDealResponse.encode({ deal: dealToProto(deal), endpoints, currentEpoch: currentEpoch(ctx.store, ctx.height) }).finish();
    },
    '/trucom.market.v1.Query/Deals': async (ctx, data) => {
      const { owner, provider, cid } = pb.QueryDealsRequest.decode(data);
      if ([owner, provider, cid].filter(Boolean).length > 1) throw ErrInvalidRequest('filter deals by one of owner, provider or cid');
      let deals: Deal[];
      const byIndex = async (prefix: string) => (await idsUnder(ctx.store, prefix)).map((id) => keeper.getDeal(ctx.store, id)!);
      if (owner) {
        requireAddress(owner, 'owner');
        deals = await byIndex(dealsOfOwnerPrefix(owner));
      } else if (provider) {
        requireAddress(provider, 'provider');
        deals = await byIndex(dealsOfProviderPrefix(provider));
      } else if (cid) {
        deals = await byIndex(dealsOfCidPrefix(checkCid(cid)));
      } else deals = await allDeals(ctx.store);
      return pb.QueryDealsResponse.encode({ deals: deals.map(dealToProto), currentEpoch: currentEpoch(ctx.store, ctx.height) }).finish();
    },
    '/trucom.market.v1.Query/Challenges': async (ctx, data) => {
      const { provider } = pb.QueryChallengesRequest.decode(data);
      requireAddress(provider, 'provider');
      const epoch = currentEpoch(ctx.store, ctx.height);
      const seed = keeper.epochSeed(ctx.store, epoch);
      const challenges = [];
      if (seed) {
        for (const id of await idsUnder(ctx.store, dealsOfProviderPrefix(provider))) {
          const deal = keeper.getDeal(ctx.store, id)!;
          if (deal.status !== 'active') continue;
          const r = deal.replicas.find((x) => x.provider === provider && isLive(x));
          if (!r || r.assignedEpoch > epoch) continue;
          challenges.push({ dealId: id, cid: deal.cid, seed: challengeSeed(seed, id, provider), epoch, proven: r.lastProvenEpoch === epoch, status: r.status });
        }
      }
      return pb.QueryChallengesResponse.encode({ epoch, epochEndHeight: epochEndHeight(epoch, keeper.params(ctx.store).epochBlocks), challenges }).finish();
    },
  };
}
