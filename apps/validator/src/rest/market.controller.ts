import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { ChainNode } from '@trucom/chain';
import { dealFromProto, providerFromProto } from '@trucom/market';
import { trucom } from '@trucom/proto';
import { CHAIN_NODE } from './lcd.controller.js';
import { lcdError, lcdQuery } from './lcd.js';
import { challengeJson, dealJson, providerJson, siteJson } from './market-json.js';

const pb = trucom.market.v1;
const spb = trucom.sites.v1;
const decoder =
  <T>(type: { decode(b: Uint8Array): T }) =>
  (b: Uint8Array): T =>
    type.decode(b);

function dealId(id: string): number {
  if (!/^[0-9]{1,15}$/.test(id)) throw lcdError(400, 3, `invalid deal id ${JSON.stringify(id)}`);
  return Number(id);
}

/** The hosting marketplace and site registry over REST (what gateways, provers and the dashboard read). */
@Controller('trucom')
export class MarketController {
  constructor(@Inject(CHAIN_NODE) private readonly node: ChainNode) {}

  @Get('market/v1/params')
  async params() {
    const r = await lcdQuery(this.node, '/trucom.market.v1.Query/Params', pb.QueryParamsRequest.encode({}).finish(), decoder(pb.QueryParamsResponse));
    const p = r.params!;
    return {
      epoch_blocks: p.epochBlocks,
      min_replicas: p.minReplicas,
      max_replicas: p.maxReplicas,
      max_missed_epochs: p.maxMissedEpochs,
      miss_slash_fraction: p.missSlashFraction,
      allowed_profiles: p.allowedProfiles,
      min_collateral: p.minCollateral,
      denom: p.denom,
    };
  }

  @Get('market/v1/providers')
  async providers() {
    const r = await lcdQuery(this.node, '/trucom.market.v1.Query/Providers', pb.QueryProvidersRequest.encode({}).finish(), decoder(pb.QueryProvidersResponse));
    return { providers: r.providers.map((p) => providerJson(providerFromProto(p))) };
  }

  @Get('market/v1/providers/:address')
  async provider(@Param('address') address: string) {
    const r = await lcdQuery(this.node, '/trucom.market.v1.Query/Provider', pb.QueryProviderRequest.encode({ address }).finish(), decoder(pb.QueryProviderResponse));
    return providerJson(providerFromProto(r.provider!));
  }

  @Get('market/v1/deals')
  async deals(@Query('owner') owner: string | undefined) {
    const r = await lcdQuery(this.node, '/trucom.market.v1.Query/Deals', pb.QueryDealsRequest.encode({ owner: owner ?? '' }).finish(), decoder(pb.QueryDealsResponse));
    const endpoints = await this.endpoints();
    return { deals: r.deals.map((d) => dealJson(dealFromProto(d), endpoints, r.currentEpoch)), current_epoch: r.currentEpoch };
  }

  @Get('market/v1/deals/:id')
  async deal(@Param('id') id: string) {
    const r = await lcdQuery(this.node, '/trucom.market.v1.Query/Deal', pb.QueryDealRequest.encode({ id: dealId(id) }).finish(), decoder(pb.QueryDealResponse));
    return dealJson(dealFromProto(r.deal!), r.endpoints, r.currentEpoch);
  }

  /** The open challenges of the current epoch for one provider (what a gateway's prover polls). */
  @Get('market/v1/challenges')
  async challenges(@Query('provider') provider: string | undefined) {
    if (!provider) throw lcdError(400, 3, 'provider is required');
    const r = await lcdQuery(this.node, '/trucom.market.v1.Query/Challenges', pb.QueryChallengesRequest.encode({ provider }).finish(), decoder(pb.QueryChallengesResponse));
    return { provider, epoch: r.epoch, epoch_end_height: r.epochEndHeight, challenges: r.challenges.map(challengeJson) };
  }

  @Get('sites/v1/sites/:name')
  async site(@Param('name') name: string) {
    const r = await lcdQuery(this.node, '/trucom.sites.v1.Query/Site', spb.QuerySiteRequest.encode({ name }).finish(), decoder(spb.QuerySiteResponse));
    return siteJson(r.site!);
  }

  /** Every provider's endpoint, for deal listings (one query instead of one per replica). */
  private async endpoints(): Promise<Record<string, string>> {
    const r = await lcdQuery(this.node, '/trucom.market.v1.Query/Providers', pb.QueryProvidersRequest.encode({}).finish(), decoder(pb.QueryProvidersResponse));
    return Object.fromEntries(r.providers.map((p) => [p.address ?? '', p.endpoint ?? '']));
  }
}
