import { Comet38Client, HttpClient, type CometClient } from '@cosmjs/tendermint-rpc';
import { trucom } from '@trucom/proto';

const market = trucom.market.v1;
const sites = trucom.sites.v1;
const grants = trucom.grants.v1;

interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
}

/** A registered content with the key holders of each of its key ids (Query/Content). */
export type ContentView = trucom.grants.v1.IContent & { readonly keys: trucom.grants.v1.IKeyIdHolders[] };

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

/** Typed market, sites and grants queries over any validator's CometBFT RPC (`abci_query`, protobuf in and out). */
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

  // ---- grants (content-key grants; `active` is judged at the answer's `height`, the last committed block) ----

  /** A content (id, owner, deal id, key ids, created height) plus, per key id, the holders it is sealed to; undefined if unknown. */
  content(id: string): Promise<ContentView | undefined> {
    return this.optional(async () => {
      const r = await this.query('/trucom.grants.v1.Query/Content', grants.QueryContentRequest, { content: id }, grants.QueryContentResponse);
      return { ...r.content!, keys: r.keys ?? [] };
    });
  }

  /** The sealed box of content key `keyId` for `holder` (64 bytes, open it with the holder's X25519 key); undefined if none. */
  contentKey(content: string, keyId: string, holder: string): Promise<Uint8Array | undefined> {
    return this.optional(async () => (await this.query('/trucom.grants.v1.Query/ContentKey', grants.QueryContentKeyRequest, { content, keyId, holder }, grants.QueryContentKeyResponse)).key?.sealed ?? undefined);
  }

  /** `grantee`'s grant of `content` with its `active` flag and the height it was judged at; undefined if never granted (or no such content). */
  grant(content: string, grantee: string): Promise<trucom.grants.v1.IQueryGrantResponse | undefined> {
    return this.optional(() => this.query('/trucom.grants.v1.Query/Grant', grants.QueryGrantRequest, { content, grantee }, grants.QueryGrantResponse));
  }

  /** Every grant of a content (revoked and expired ones too, each with `active`); undefined if the content is unknown. */
  grants(content: string): Promise<trucom.grants.v1.IQueryGrantsResponse | undefined> {
    return this.optional(() => this.query('/trucom.grants.v1.Query/Grants', grants.QueryGrantsRequest, { content }, grants.QueryGrantsResponse));
  }

  /** Every grant a viewer holds, across contents. */
  grantsOf(grantee: string): Promise<trucom.grants.v1.IQueryGrantsResponse> {
    return this.query('/trucom.grants.v1.Query/GrantsOf', grants.QueryGrantsOfRequest, { grantee }, grants.QueryGrantsResponse);
  }

  /** A key-holder gateway's X25519 public key; undefined if it has none. */
  keyHolder(holder: string): Promise<trucom.grants.v1.IKeyHolder | undefined> {
    return this.optional(async () => (await this.query('/trucom.grants.v1.Query/KeyHolder', grants.QueryKeyHolderRequest, { holder }, grants.QueryKeyHolderResponse)).keyHolder ?? undefined);
  }

  /** Every key holder (the gateways a publisher can seal content keys to). */
  async keyHolders(): Promise<trucom.grants.v1.IKeyHolder[]> {
    return (await this.query('/trucom.grants.v1.Query/KeyHolders', grants.QueryKeyHoldersRequest, {}, grants.QueryKeyHoldersResponse)).keyHolders ?? [];
  }
}
