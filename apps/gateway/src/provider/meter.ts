import type { Logger } from 'pino';
import type { TxQueue } from './tx-queue.js';

/**
 * Bytes served per deal, claimed from each deal's bandwidth budget (`MsgClaimBandwidth`). Periods are
 * claim times in seconds, strictly increasing, so the chain refuses a replayed claim.
 */
export class BandwidthMeter {
  private readonly unclaimed = new Map<string, number>();
  private lastPeriod = 0;

  constructor(
    private readonly txs: TxQueue,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  record(dealId: string, bytes: number): void {
    if (bytes > 0) this.unclaimed.set(dealId, (this.unclaimed.get(dealId) ?? 0) + bytes);
  }

  pending(dealId: string): number {
    return this.unclaimed.get(dealId) ?? 0;
  }

  /** Claims everything metered so far, one message per deal, in one transaction. */
  async claim(): Promise<void> {
    if (this.unclaimed.size === 0) return;
    const claims = [...this.unclaimed].sort(([a], [b]) => Number(a) - Number(b));
    this.unclaimed.clear();
    const period = Math.max(this.lastPeriod + 1, Math.floor(this.now() / 1000));
    this.lastPeriod = period;
    const msgs = claims.map(([dealId, bytes]) => ({ typeUrl: '/trucom.market.v1.MsgClaimBandwidth', value: { provider: this.txs.address, dealId: Number(dealId), bytes, period } }));
    try {
      const result = await this.txs.submit(msgs, 'bandwidth claims');
      if (result.code !== 0) this.log.warn({ code: result.code, log: result.rawLog, claims: claims.length }, 'bandwidth claims rejected');
      else this.log.info({ claims: claims.length, height: result.height }, 'bandwidth claimed');
    } catch (err) {
      // Not claimed: count the bytes again next time.
      for (const [dealId, bytes] of claims) this.record(dealId, bytes);
      this.log.warn({ err: (err as Error).message }, 'bandwidth claim failed');
    }
  }
}
