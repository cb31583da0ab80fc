import { toUpperHex } from '@trucom/crypto';
import { txHash } from '../block/types.js';
import { ChainError, ErrMempoolIsFull, ErrTxInMempoolCache } from '../errors.js';
import type { Application, CheckTxResult, PreparedTx } from '../app/application.js';
import type { BlockInfo } from '../app/context.js';

export interface MempoolConfig {
  readonly maxTxs: number;
  readonly maxBytes: number;
}

const COMMITTED_CACHE_LIMIT = 50_000;

interface Entry {
  readonly raw: Uint8Array;
  readonly hashHex: string;
  readonly gasWanted: number;
  /** Decoded once at admission; rechecks reuse it. */
  readonly prepared: PreparedTx;
}

/**
 * Transactions waiting for a block, in arrival order (CometBFT's FIFO mempool, which keeps each
 * sender's txs in sequence order). Every tx passed CheckTx against the check state; after each
 * commit the rest are rechecked and dropped if no longer valid.
 */
export class Mempool {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly listeners = new Set<(raw: Uint8Array) => void>();
  /** Ante checks run one at a time, in arrival order (signature checks before them run in parallel). */
  private admission: Promise<void> = Promise.resolve();
  /** Txs being checked right now: a second copy arriving meanwhile is a duplicate too. */
  private readonly inFlight = new Set<string>();
  /**
   * Txs committed (successfully) in recent blocks, as CometBFT's mempool cache keeps them: a copy
   * that gossip delivers late is turned away by its hash, before it is decoded and verified again.
   * (A client sending one again still gets the full check and its precise error: a used sequence.)
   */
  private readonly committed = new Set<string>();

  constructor(
    private readonly app: Application,
    private readonly config: MempoolConfig,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Txs whose admission has started and not finished (decoding, signatures, waiting for their turn). */
  get admitting(): number {
    return this.inFlight.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** Called for every tx admitted (the p2p layer gossips them). */
  onAdmitted(listener: (raw: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async add(raw: Uint8Array, block: BlockInfo, origin: 'local' | 'peer' = 'local'): Promise<CheckTxResult & { hashHex: string }> {
    const hash = txHash(raw);
    const hashHex = toUpperHex(hash);
    if (this.entries.has(hashHex) || this.inFlight.has(hashHex)) return rejected(ErrTxInMempoolCache(), hashHex);
    if (origin === 'peer' && this.committed.has(hashHex)) return rejected(ErrTxInMempoolCache('tx already in mempool cache: committed in a recent block'), hashHex);
    if (this.entries.size >= this.config.maxTxs || this.bytes + raw.length > this.config.maxBytes) {
      return rejected(ErrMempoolIsFull(`mempool is full: ${this.entries.size} txs, ${this.bytes} bytes`), hashHex);
    }
    this.inFlight.add(hashHex);
    const prepared = this.app.prepareCheck(raw, hash);
    // The check and the insertion happen in one synchronous step: a commit's recheck (update)
    // running between them would reset the check state without this tx, and the sender's next tx
    // would then fail with a sequence mismatch.
    const turn = this.admission.then(async () => {
      const decoded = await prepared;
      const result = this.app.checkTx(decoded, 'check', block);
      if (result.code === 0 && !(decoded instanceof ChainError)) {
        this.entries.set(hashHex, { raw, hashHex, gasWanted: result.gasWanted, prepared: decoded });
        this.bytes += raw.length;
      }
      return result;
    });
    this.admission = turn.then(
      () => undefined,
      () => undefined,
    );
    const result = await turn.finally(() => this.inFlight.delete(hashHex));
    if (result.code === 0) for (const l of this.listeners) l(raw);
    return withHash(result, hashHex);
  }

  /**
   * Resolves once every admission begun before the call has finished, or after `maxMs`. A proposer
   * waits on it before reaping: txs that peers gossiped during its last commit are often still
   * being verified when its turn comes, and a tx that misses a block waits a whole block more.
   */
  async settled(maxMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.admission, new Promise((resolve) => (timer = setTimeout(resolve, maxMs)))]);
    clearTimeout(timer);
  }

  /** Txs for the next block, in order, within the block's byte and gas limits. */
  reap(maxBytes: number, maxGas: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let bytes = 0;
    let gas = 0;
    for (const e of this.entries.values()) {
      if (bytes + e.raw.length > maxBytes || (maxGas >= 0 && gas + e.gasWanted > maxGas)) break;
      bytes += e.raw.length;
      gas += e.gasWanted;
      out.push(e.raw);
    }
    return out;
  }

  /**
   * After a commit, before anything else runs: drop the committed txs, then recheck the rest, in
   * order, against the fresh check state. Synchronous, so no admission can slip in between.
   * `codes` are the txs' results: one that failed may become valid again and is not remembered.
   */
  update(committedHashes: readonly string[], block: BlockInfo, codes: readonly number[] = []): void {
    committedHashes.forEach((h, i) => {
      this.remove(h);
      if ((codes[i] ?? 0) === 0) this.committed.add(h);
    });
    for (const h of this.committed) {
      if (this.committed.size <= COMMITTED_CACHE_LIMIT) break;
      this.committed.delete(h);
    }
    for (const e of [...this.entries.values()]) {
      if (this.app.checkTx(e.prepared, 'recheck', block).code !== 0) this.remove(e.hashHex);
    }
  }

  private remove(hashHex: string): void {
    const e = this.entries.get(hashHex);
    if (!e) return;
    this.entries.delete(hashHex);
    this.bytes -= e.raw.length;
  }
}

/** The check result with the tx's hash, copied field by field (see checkTxResult). */
function withHash(r: CheckTxResult, hashHex: string): CheckTxResult & { hashHex: string } {
  return { code: r.code, codespace: r.codespace, log: r.log, data: r.data, gasWanted: r.gasWanted, gasUsed: r.gasUsed, events: r.events, tx: r.tx, priority: r.priority, hashHex };
}

function rejected(e: ChainError, hashHex: string): CheckTxResult & { hashHex: string } {
  return { code: e.code, codespace: e.codespace, log: e.message, data: new Uint8Array(), gasWanted: 0, gasUsed: 0, events: [], priority: 0n, hashHex };
}
