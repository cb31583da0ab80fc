import { CID } from 'multiformats/cid';
import type { Logger } from 'pino';
import { buildStorageProof, getBlock, type BlockStore } from '@trucom/content';
import type { TrucomQueries } from '@trucom/client';
import type { TxQueue } from './tx-queue.js';

/** Proofs per transaction stay under the chain's 1 MiB tx limit with room for the envelope. */
const MAX_PROOF_TX_BYTES = 700 * 1024;

/**
 * Answers each epoch's storage challenges for this provider: for every replica it holds, the DAG-PB
 * path from the root to the challenged leaf (`MsgProveStorage`), batched into few transactions.
 */
export class Prover {
  private readonly submitted = new Set<string>();

  constructor(
    private readonly chain: Pick<TrucomQueries, 'challenges'>,
    private readonly store: Pick<BlockStore, 'get'>,
    private readonly holds: (root: CID) => boolean,
    private readonly txs: TxQueue,
    private readonly log: Logger,
  ) {}

  /** One pass: proves what is open and held; returns how many proofs it sent. */
  async tick(): Promise<number> {
    const challenges = (await this.chain.challenges(this.txs.address)).challenges ?? [];
    const batches: { msgs: { typeUrl: string; value: unknown }[]; bytes: number }[] = [];
    for (const c of challenges) {
      const key = `${c.dealId}:${c.epoch}`;
      if (c.proven || this.submitted.has(key)) continue;
      const root = CID.parse(c.cid!);
      if (!this.holds(root)) continue;
      const blocks = await buildStorageProof(root, c.seed!, (cid) => getBlock(this.store, cid));
      const bytes = blocks.reduce((n, b) => n + b.length, 0);
      let batch = batches.at(-1);
      if (!batch || batch.bytes + bytes > MAX_PROOF_TX_BYTES) batches.push((batch = { msgs: [], bytes: 0 }));
      batch.msgs.push({ typeUrl: '/trucom.market.v1.MsgProveStorage', value: { provider: this.txs.address, dealId: Number(c.dealId), epoch: Number(c.epoch), blocks } });
      batch.bytes += bytes;
      this.submitted.add(key);
    }
    let sent = 0;
    for (const batch of batches) {
      const result = await this.txs.submit(batch.msgs, 'storage proofs');
      if (result.code !== 0) {
        this.log.warn({ code: result.code, log: result.rawLog, proofs: batch.msgs.length }, 'storage proofs rejected');
        for (const m of batch.msgs) this.submitted.delete(`${(m.value as { dealId: number }).dealId}:${(m.value as { epoch: number }).epoch}`);
        continue;
      }
      sent += batch.msgs.length;
      this.log.info({ proofs: batch.msgs.length, height: result.height, tx: result.transactionHash }, 'storage proofs committed');
    }
    return sent;
  }
}
