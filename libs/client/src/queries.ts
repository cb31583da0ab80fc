import { Comet38Client, HttpClient, type CometClient } from '@cosmjs/tendermint-rpc';
import { trucom } from '@trucom/proto';

const market = trucom.market.v1;
const sites = trucom.sites.v1;

interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

/** A query the chain refused (unknown id, bad address…), with the node's code and log. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly path: string,
    readonly code: number,
    log: string,
  ) {
    super(`${path}: ${log || `code ${code}`}`);
  }

  /** The chain's "not found" (sdk code 38, ErrKeyNotFound). */
  get notFound(): boolean {
    return this.code === 38 || /not found/i.test(this.message);
  }
}

/** A CometBFT 0.38 client (what our RPC speaks) that makes no request when created. */
export function cometClient(rpc: string): CometClient {
  return Comet38Client.create(new HttpClient(rpc));
}

/** Typed market and sites queries over any validator's CometBFT RPC (`abci_query`, protobuf in and out). */
export class TrucomQueries {
  private constructor(readonly comet: CometClient) {}

  /** No request is made until the first query, so a gateway can start before its validator. */
  static connect(rpc: string): TrucomQueries {
    return new TrucomQueries(cometClient(rpc));
  }

  disconnect(): void {
    this.comet.disconnect();
  }

  private async query<Req, Res>(path: string, reqType: Codec<Req>, req: Req, resType: Codec<Res>): Promise<Res> {
    const r = await this.comet.abciQuery({ path, data: reqType.encode(req).finish() });
    if ((r.code ?? 0) !== 0) throw new QueryError(path, r.code!, r.log ?? '');
    return resType.decode(r.value);
  }

  /** undefined when the chain says not found; other errors throw. */
  private async optional<T>(run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof QueryError && err.notFound) return undefined;
      throw err;
    }
  }

  async marketParams(): Promise<trucom.market.v1.IParams> {
    return (await this.query('/trucom.market.v1.Query/Params', market.QueryParamsRequest, {}, market.QueryParamsResponse)).params!;
  }

  async providers(): Promise<trucom.market.v1.IProvider[]> {
    return (await this.query('/trucom.market.v1.Query/Providers', market.QueryProvidersRequest, {}, market.QueryProvidersResponse)).providers ?? [];
  }

  provider(address: string): Promise<trucom.market.v1.IProvider | undefined> {
    return this.optional(async () => (await this.query('/trucom.market.v1.Query/Provider', market.QueryProviderRequest, { address }, market.QueryProviderResponse)).provider ?? undefined);
  }

  deal(id: number | string): Promise<trucom.market.v1.IQueryDealResponse | undefined> {
    return this.optional(() => this.query('/trucom.market.v1.Query/Deal', market.QueryDealRequest, { id: Number(id) }, market.QueryDealResponse));
  }

  async dealsOf(filter: { owner?: string; provider?: string; cid?: string }): Promise<trucom.market.v1.IQueryDealsResponse> {
    return this.query('/trucom.market.v1.Query/Deals', market.QueryDealsRequest, filter, market.QueryDealsResponse);
  }

  challenges(provider: string): Promise<trucom.market.v1.IQueryChallengesResponse> {
    return this.query('/trucom.market.v1.Query/Challenges', market.QueryChallengesRequest, { provider }, market.QueryChallengesResponse);
  }

  site(name: string): Promise<trucom.sites.v1.ISite | undefined> {
    return this.optional(async () => (await this.query('/trucom.sites.v1.Query/Site', sites.QuerySiteRequest, { name }, sites.QuerySiteResponse)).site ?? undefined);
  }
}
