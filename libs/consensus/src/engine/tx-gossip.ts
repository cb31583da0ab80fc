import type { ChainNode } from '@trucom/chain';
import { TOPICS, type ConsensusNetwork } from './network.js';

/**
 * How long local txs gather before they go out as one message. Part of gossip's cost is per message
 * (encryption, framing, syscalls, and at each peer a wake-up of the signature worker): at 1,000 tx/s
 * spread over four validators a message carries ~12 txs instead of ~3, for at most 50 ms more
 * latency on a ~1 s block.
 */
const FLUSH_MS = 50;
const MAX_BATCH_BYTES = 512 * 1024;

/**
 * Spreads transactions between mempools so a tx sent to any validator gets into a block. Txs that
 * this node's clients submitted are batched for up to FLUSH_MS into one gossip message
 * (length-prefixed raw txs); a peer's batch is admitted tx by tx (signatures verified once per node,
 * duplicates dropped by hash) and not re-announced: gossipsub itself relays the message.
 */
export class TxGossip {
  private batch: Uint8Array[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly node: ChainNode,
    private readonly network: ConsensusNetwork,
  ) {}

  start(): void {
    this.network.validateTopic(TOPICS.txs, (data) => (decodeTxBatch(data) ? undefined : 'malformed tx batch'));
    this.stops.push(this.node.onLocalTx((raw) => this.queue(raw)));
    this.stops.push(this.network.onMessage(TOPICS.txs, (data, from) => void this.receive(data, from)));
  }

  stop(): void {
    for (const s of this.stops) s();
    clearTimeout(this.timer);
    this.flush();
  }

  private queue(raw: Uint8Array): void {
    this.batch.push(raw);
    this.bytes += raw.length + 4;
    if (this.bytes >= MAX_BATCH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0) return;
    this.network.publish(TOPICS.txs, encodeTxBatch(this.batch));
    this.batch = [];
    this.bytes = 0;
  }

  private async receive(data: Uint8Array, from: string): Promise<void> {
    const txs = decodeTxBatch(data);
    if (!txs) return this.network.penalize(from, 'malformed tx batch');
    await Promise.all(txs.map((raw) => this.node.submitTx(raw, 'peer').catch(() => undefined)));
  }
}

export function encodeTxBatch(txs: readonly Uint8Array[]): Uint8Array {
  const out = Buffer.alloc(txs.reduce((n, t) => n + 4 + t.length, 0));
  let at = 0;
  for (const tx of txs) {
    out.writeUInt32BE(tx.length, at);
    out.set(tx, at + 4);
    at += 4 + tx.length;
  }
  return out;
}

export function decodeTxBatch(data: Uint8Array): Uint8Array[] | undefined {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const txs: Uint8Array[] = [];
  for (let at = 0; at < buf.length; ) {
    if (at + 4 > buf.length) return undefined;
    const len = buf.readUInt32BE(at);
    if (len === 0 || at + 4 + len > buf.length) return undefined;
    txs.push(buf.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return txs;
}
