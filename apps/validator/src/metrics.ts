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

/** Consensus and network metrics, read when /metrics is scraped. */
export function instrumentConsensus(
  engine: { readonly height: number; readonly round: number; readonly pendingEvidence: number },
  p2p: { connectedPeers(): readonly unknown[]; readonly gossipStats: { readonly delivered: number; readonly forwarded: number } },
  registry: Registry,
): void {
  new Gauge({ name: 'trucom_consensus_height', help: 'Height consensus is deciding', registers: [registry], collect() { this.set(engine.height); } });
  new Gauge({ name: 'trucom_consensus_round', help: 'Round of the height being decided (above 0: rounds failed)', registers: [registry], collect() { this.set(engine.round); } });
  new Gauge({ name: 'trucom_consensus_pending_evidence', help: 'Double-sign evidence waiting for a block', registers: [registry], collect() { this.set(engine.pendingEvidence); } });
  new Gauge({ name: 'trucom_p2p_peers', help: 'Connected libp2p peers', registers: [registry], collect() { this.set(p2p.connectedPeers().length); } });
  new Gauge({
    name: 'trucom_p2p_tx_gossip_messages',
    help: 'Tx gossip messages received since start: forwarded, or only delivered here (every topic peer had them from the publisher)',
    labelNames: ['relay'],
    registers: [registry],
    collect() {
      this.set({ relay: 'forwarded' }, p2p.gossipStats.forwarded);
      this.set({ relay: 'delivered_only' }, p2p.gossipStats.delivered);
    },
  });
}
