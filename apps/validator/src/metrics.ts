import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ChainNode } from '@trucom/chain';

/** Chain metrics, updated on every committed block. */
export function instrumentChain(node: ChainNode, registry: Registry): void {
  const height = new Gauge({ name: 'trucom_chain_height', help: 'Latest committed block height', registers: [registry] });
  const txs = new Counter({ name: 'trucom_txs_committed_total', help: 'Transactions committed in blocks', labelNames: ['result'], registers: [registry] });
  const interval = new Histogram({
    name: 'trucom_block_interval_seconds',
    help: 'Time between consecutive block timestamps',
    buckets: [0.25, 0.5, 1, 1.5, 2, 3, 5, 10],
    registers: [registry],
  });
  new Gauge({ name: 'trucom_mempool_txs', help: 'Transactions waiting in the mempool', registers: [registry], collect() { this.set(node.mempool.size); } });
  height.set(node.height);
  let lastMs: number | undefined;
  node.onBlock((b) => {
    height.set(Number(b.block.header!.height));
    for (const r of b.results.txResults) txs.inc({ result: r.code === 0 ? 'ok' : 'failed' });
    const t = b.block.header!.time!;
    const ms = Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
    if (lastMs !== undefined) interval.observe((ms - lastMs) / 1000);
    lastMs = ms;
  });
}
