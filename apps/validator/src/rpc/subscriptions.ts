import { toBase64 } from '@trucom/crypto';
import { eventsSatisfy, matches, parseQuery, type CommittedBlock, type Condition } from '@trucom/chain';
import { RpcError } from './rpc-error.js';
import { blockIdJson, blockJson, eventsJson, headerJson, txResultJson } from './cometbft-json.js';

/** Event kinds a client can subscribe to with tm.event='…'. */
const EVENT_TYPES = ['NewBlock', 'NewBlockHeader', 'Tx'] as const;
type EventType = (typeof EVENT_TYPES)[number];

export interface Subscription {
  readonly query: string;
  readonly event: EventType;
  readonly conditions: Condition[];
}

export const MAX_SUBSCRIPTIONS_PER_CLIENT = 100;

export function parseSubscription(query: string): Subscription {
  let conditions: Condition[];
  try {
    conditions = parseQuery(query);
  } catch (err) {
    throw RpcError.invalidParams(`invalid query: ${(err as Error).message}`);
  }
  const eventCond = conditions.find((c) => c.tag === 'tm.event' && c.op === '=');
  const event = EVENT_TYPES.find((e) => e === eventCond?.value);
  if (!event) throw RpcError.invalidParams(`query must select tm.event = one of ${EVENT_TYPES.join(', ')}`);
  return { query, event, conditions: conditions.filter((c) => c !== eventCond) };
}

/** The CometBFT event messages a committed block produces for one subscription. */
export function eventsFor(sub: Subscription, committed: CommittedBlock): unknown[] {
  const height = String(committed.block.header!.height);
  if (sub.event === 'NewBlock' || sub.event === 'NewBlockHeader') {
    if (!sub.conditions.every((c) => (c.tag === 'block.height' ? matches(c, height) : eventsSatisfy(committed.results.finalizeBlockEvents ?? [], c)))) return [];
    const value =
      sub.event === 'NewBlock'
        ? {
            block: blockJson(committed.block),
            block_id: blockIdJson(committed.blockId),
            result_finalize_block: {
              events: eventsJson(committed.results.finalizeBlockEvents),
              tx_results: (committed.results.txResults ?? []).map(txResultJson),
              validator_updates: [],
              app_hash: toBase64(committed.results.appHash),
            },
          }
        : { header: headerJson(committed.block.header!), result_finalize_block: { events: eventsJson(committed.results.finalizeBlockEvents) } };
    return [{ query: sub.query, data: { type: `tendermint/event/${sub.event}`, value }, events: { 'tm.event': [sub.event], 'block.height': [height] } }];
  }
  const out: unknown[] = [];
  (committed.block.data?.txs ?? []).forEach((tx, i) => {
    const result = committed.results.txResults[i]!;
    const hash = committed.txHashes[i]!;
    const ok = sub.conditions.every((c) =>
      c.tag === 'tx.height' ? matches(c, height) : c.tag === 'tx.hash' ? matches(c, hash) : eventsSatisfy(result.events ?? [], c),
    );
    if (!ok) return;
    out.push({
      query: sub.query,
      data: { type: 'tendermint/event/Tx', value: { TxResult: { height, index: i, tx: toBase64(tx), result: txResultJson(result) } } },
      events: { 'tm.event': ['Tx'], 'tx.hash': [hash], 'tx.height': [height] },
    });
  });
  return out;
}
