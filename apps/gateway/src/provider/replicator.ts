import { CID } from 'multiformats/cid';
import type { Logger } from 'pino';
import type { TrucomQueries } from '@trucom/client';
import type { ReplicaFetcher } from '../replication/replica-fetcher.js';

const LIVE = new Set(['active', 'faulty', 'repairing']);

/** Fetches every DAG the chain assigned to this provider (new deals and repairs) from the other replicas. */
export class Replicator {
  constructor(
    private readonly chain: Pick<TrucomQueries, 'dealsOf'>,
    private readonly fetcher: ReplicaFetcher,
    private readonly provider: string,
    private readonly log: Logger,
  ) {}

  async tick(): Promise<void> {
    const deals = (await this.chain.dealsOf({ provider: this.provider })).deals ?? [];
    for (const deal of deals) {
      if (deal.status !== 'active') continue;
      const mine = deal.replicas?.find((r) => r.provider === this.provider);
      if (!mine || !LIVE.has(mine.status ?? '')) continue;
      const root = CID.parse(deal.cid!);
      if (this.fetcher.holds(root)) continue;
      const ok = await this.fetcher.ensureLocal(root);
      this.log.info({ deal: String(deal.id), root: deal.cid, ok }, ok ? 'assigned replica stored' : 'assigned replica not yet available');
    }
  }
}
