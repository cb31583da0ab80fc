import { Gauge, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import { paymentsOfBlock, type BlockResults, type Payment } from './payment.js';
import type { PaymentStore } from './payment-store.js';

export interface PaymentIndexerInit {
  /** Validator RPC (CometBFT URI calls: status, block_results). */
  readonly rpc: string;
  /** Validator REST: the market's epoch length, and a deal's owner when its creation was not indexed. */
  readonly rest: string;
  /** Pause between polls once caught up (a block takes about a second on the devnet). */
  readonly pollMs?: number;
}

/** A GET whose JSON body is returned, or an error naming the URL and the HTTP status. */
async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw Object.assign(new Error(`${url}: HTTP ${res.status}`), { status: res.status });
  return (await res.json()) as T;
}

/**
 * Follows the chain block by block over the validator RPC and indexes every market payment under the
 * deal's owner: escrow locked by txs, provider payouts at epoch ends (block events only, so the browser's
 * tx_search cannot see them), bandwidth claims sent by providers, refunds. Resumes after its last block.
 */
export class PaymentIndexer {
  private stopped = false;
  private wake: () => void = () => {};
  private running?: Promise<void>;
  private lastError = '';

  constructor(
    private readonly init: PaymentIndexerInit,
    readonly store: PaymentStore,
    private readonly log: Logger,
    registry: Registry,
  ) {
    new Gauge({ name: 'dashboard_payments_indexed_height', help: 'Last block whose payments are indexed', registers: [registry], collect: async function (this: Gauge) {
      this.set(await store.indexedHeight());
    } });
  }

  start(): void {
    this.running ??= this.follow();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
    await this.store.close();
  }

  private async follow(): Promise<void> {
    let epochBlocks: number | undefined;
    while (!this.stopped) {
      try {
        epochBlocks ??= (await getJson<{ epoch_blocks: number }>(`${this.init.rest}/trucom/market/v1/params`)).epoch_blocks;
        const status = await getJson<{ result: { sync_info: { latest_block_height: string } } }>(`${this.init.rpc}/status`);
        const latest = Number(status.result.sync_info.latest_block_height);
        for (let h = (await this.store.indexedHeight()) + 1; h <= latest && !this.stopped; h++) await this.indexBlock(h, epochBlocks);
        this.lastError = '';
      } catch (err) {
        // the chain may be starting or restarting: say so once per distinct problem, and keep trying
        const message = (err as Error).message;
        if (message !== this.lastError) this.log.warn({ err: message }, 'payment indexer cannot read the chain; retrying');
        this.lastError = message;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.init.pollMs ?? 1000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async indexBlock(height: number, epochBlocks: number): Promise<void> {
    const { result } = await getJson<{ result: BlockResults }>(`${this.init.rpc}/block_results?height=${height}`);
    const payments = paymentsOfBlock(result, epochBlocks);
    const learned = new Map<number, string>();
    for (const p of payments) if (p.event === 'create_deal' && p.owner) learned.set(p.dealId, p.owner);
    const rows: (Payment & { owner: string })[] = [];
    for (const p of payments) rows.push({ ...p, owner: p.owner ?? learned.get(p.dealId) ?? (await this.ownerOf(p.dealId, learned)) });
    await this.store.putBlock(height, rows, learned);
  }

  /** A deal created before the index began (e.g. an index deleted on a running chain) is looked up once on REST. */
  private async ownerOf(dealId: number, learned: Map<number, string>): Promise<string> {
    const owner = (await this.store.ownerOf(dealId)) ?? (await getJson<{ owner: string }>(`${this.init.rest}/trucom/market/v1/deals/${dealId}`)).owner;
    learned.set(dealId, owner);
    return owner;
  }
}
