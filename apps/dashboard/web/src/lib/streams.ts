import type { AppConfig } from './config';
import { rest, restOptional, rpc } from './chain';
import { dealById, type DealJson } from './market';

/** The deal id of a live stream's content until the stream ends and its recording gets a deal. */
export const LIVE_DEAL = 0;

export interface ContentJson {
  id: string;
  owner: string;
  deal_id: number;
  key_ids: string[];
  created_height: number;
}

export interface GrantJson {
  content: string;
  grantee: string;
  revoked: boolean;
  active: boolean;
  granted_height: number;
  revoked_height: number;
}

export interface OwnedStream {
  readonly content: ContentJson;
  readonly deal: DealJson | undefined;
  /** Viewers other than the owner (granted too, to preview) whose grant is active now. */
  readonly viewers: number;
}

interface TxSearch {
  txs: { tx_result: { code: number; events: { type: string; attributes: { key: string; value: string }[] }[] } }[];
  total_count: string;
}

const PAGE = 100;
/** Pages of the owner's register_content txs read at most (each registers one stream). */
const MAX_PAGES = 10;

/**
 * The streams `owner` registered, newest first: the chain's tx index finds their MsgRegisterContent
 * txs by the `register_content.owner` event attribute (the grants module has no query by owner), then
 * each stream's record, deal and active grants come from REST.
 */
export async function streamsOf(config: AppConfig, owner: string): Promise<OwnedStream[]> {
  const names: string[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const r = await rpc<TxSearch>(config, 'tx_search', { query: `register_content.owner='${owner}'`, page: String(page), per_page: String(PAGE), order_by: 'desc' });
    for (const tx of r.txs) {
      if (tx.tx_result.code !== 0) continue;
      for (const ev of tx.tx_result.events) if (ev.type === 'register_content') names.push(...ev.attributes.filter((a) => a.key === 'content').map((a) => a.value));
    }
    if (page * PAGE >= Number(r.total_count)) break;
  }
  const streams = await Promise.all(
    [...new Set(names)].map(async (name) => {
      const content = await restOptional<ContentJson>(config, `/trucom/grants/v1/contents/${encodeURIComponent(name)}`);
      if (!content || content.owner !== owner) return undefined;
      const [deal, grants] = await Promise.all([content.deal_id === LIVE_DEAL ? undefined : dealById(config, content.deal_id), grantsOf(config, name)]);
      return { content, deal, viewers: grants.filter((g) => g.active && g.grantee !== owner).length };
    }),
  );
  return streams.filter((s): s is OwnedStream => s !== undefined);
}

export const grantsOf = async (config: AppConfig, content: string) => (await rest<{ grants: GrantJson[] }>(config, `/trucom/grants/v1/contents/${encodeURIComponent(content)}/grants`)).grants;

/** The streams `grantee` may watch now (active grants). */
export const grantedTo = async (config: AppConfig, grantee: string) => (await rest<{ grants: GrantJson[] }>(config, `/trucom/grants/v1/grants?grantee=${encodeURIComponent(grantee)}`)).grants.filter((g) => g.active);
