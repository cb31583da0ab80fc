import type { Logger } from 'pino';
import type { TrucomQueries } from '@trucom/client';
import type { TxQueue } from './tx-queue.js';

const GIB = 1n << 30n;

/**
 * Bytes served per deal, claimed from each deal's bandwidth budget (`MsgClaimBandwidth`). Periods are
 * claim times in seconds, strictly increasing, so the chain refuses a replayed claim.
 *
 * The chain pays `bytes × replica bandwidth price / GiB` rounded down, only to a replica of an active
 * deal with budget left, and refuses the whole transaction when one of its claims breaks those rules.
 * So before claiming, each deal is checked on chain: bytes served for a deal this provider is no
 * replica of (any gateway serves any paid content), or whose deal ended or ran out of budget, can never
 * be paid and are dropped; and only the bytes that earn whole utru are claimed, the rest stays counted
 * for the next claim.
 */
export class BandwidthMeter {
  private readonly unclaimed = new Map<string, number>();
  private lastPeriod = 0;

  constructor(
    private readonly txs: TxQueue,
    private readonly chain: Pick<TrucomQueries, 'deal'>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  record(dealId: string, bytes: number): void {
    if (bytes > 0) this.unclaimed.set(dealId, (this.unclaimed.get(dealId) ?? 0) + bytes);
  }

  pending(dealId: string): number {
    return this.unclaimed.get(dealId) ?? 0;
  }

  /** Claims what the chain will pay for, one message per deal, in one transaction. */
  async claim(): Promise<void> {
    if (this.unclaimed.size === 0) return;
    const metered = [...this.unclaimed].sort(([a], [b]) => Number(a) - Number(b));
    this.unclaimed.clear();
    const claims: [string, number][] = [];
    for (const [dealId, bytes] of metered) {
      let claimable: number | undefined;
      try {
        claimable = await this.claimable(dealId, bytes);
      } catch (err) {
        this.record(dealId, bytes); // the chain did not answer: ask again next time
        this.log.warn({ deal: dealId, err: (err as Error).message }, 'cannot check a deal before claiming bandwidth');
        continue;
      }
      if (claimable === undefined) {
        this.log.info({ deal: dealId, bytes }, 'bytes served that no claim can be paid for (not a replica of this deal, or the deal ended or ran out of budget)');
        continue;
      }
      if (claimable < bytes) this.record(dealId, bytes - claimable);
      if (claimable > 0) claims.push([dealId, claimable]);
    }
    if (claims.length === 0) return;
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

  /**
   * How many of `bytes` to claim now: those that earn whole utru at this replica's price (0: not a
   * whole utru yet), or undefined when the chain would refuse any claim for the deal.
   */
  private async claimable(dealId: string, bytes: number): Promise<number | undefined> {
    const deal = (await this.chain.deal(dealId))?.deal;
    const mine = deal?.replicas?.find((r) => r.provider === this.txs.address);
    if (!deal || deal.status !== 'active' || !mine) return undefined;
    if (BigInt(deal.bandwidthBudget ?? '0') - BigInt(deal.bandwidthUsed ?? '0') <= 0n) return undefined;
    const price = BigInt(mine.bandwidthPrice ?? '0');
    if (price <= 0n) return undefined;
    const owed = (BigInt(bytes) * price) / GIB;
    // The fewest bytes that are paid `owed` (≤ bytes); what is left over earns the next claim.
    return Number((owed * GIB + price - 1n) / price);
  }
}
