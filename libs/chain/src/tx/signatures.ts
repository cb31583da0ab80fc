import { Worker } from 'node:worker_threads';
import { cpus } from 'node:os';
import { bytesEqual, verifySecp256k1, bytesKey } from '@trucom/crypto';
import type { SignatureVerifier } from '../app/module.js';

/** One signature a tx needs checked: signer public key, the sign bytes, the signature. */
export interface SignatureCheck {
  readonly publicKey: Uint8Array;
  readonly signBytes: Uint8Array;
  readonly signature: Uint8Array;
}

/** Verifies many signatures, possibly off the main thread. */
export interface BatchVerifier {
  /** `urgent`: a block being executed waits on these; they go before queued mempool admissions. */
  verifyBatch(checks: readonly SignatureCheck[], options?: { urgent?: boolean }): Promise<boolean[]>;
  close(): Promise<void>;
}

export const inlineVerifier: BatchVerifier = {
  async verifyBatch(checks) {
    return checks.map((c) => verifySecp256k1(c.publicKey, c.signBytes, c.signature));
  },
  async close() {},
};

/** One signature waiting for a worker, and everyone waiting for its answer. */
interface Job {
  readonly check: SignatureCheck;
  readonly waiters: ((ok: boolean) => void)[];
  urgent: boolean;
  posted: boolean;
}

const BATCH_LIMIT = 256;
const BATCHES_IN_FLIGHT_PER_WORKER = 2;
const PIPELINE_MIN = 64;

/**
 * A pool of worker threads running secp256k1 verification. The queue stays on the main thread
 * (each worker holds at most two batches) so that a block's checks can overtake a backlog of
 * mempool admissions: a node that lags behind on gossip would otherwise execute each block only
 * after verifying every tx queued before it. A signature asked for again while queued or in flight
 * joins the pending job (a block needing a tx that is still being admitted costs one verification).
 */
export class WorkerPoolVerifier implements BatchVerifier {
  private readonly workers: { thread: Worker; inFlight: number }[];
  private readonly batches = new Map<number, Job[]>();
  private readonly pending = new Map<string, Job>();
  private readonly urgent: Job[] = [];
  private readonly normal: Job[] = [];
  private nextId = 0;
  private flushScheduled = false;

  constructor(size = Math.max(1, cpus().length - 1)) {
    this.workers = Array.from({ length: size }, () => {
      const worker = { thread: new Worker(new URL('./signature-worker.js', import.meta.url)), inFlight: 0 };
      worker.thread.on('message', ({ id, results }: { id: number; results: Uint8Array }) => this.settle(worker, id, results));
      worker.thread.unref();
      return worker;
    });
  }

  verifyBatch(checks: readonly SignatureCheck[], { urgent = false } = {}): Promise<boolean[]> {
    return Promise.all(checks.map((check) => new Promise<boolean>((resolve) => this.enqueue(check, urgent, resolve))));
  }

  private enqueue(check: SignatureCheck, urgent: boolean, resolve: (ok: boolean) => void): void {
    const key = bytesKey(check.signature);
    const job = this.pending.get(key);
    if (job && bytesEqual(job.check.publicKey, check.publicKey) && bytesEqual(job.check.signBytes, check.signBytes)) {
      job.waiters.push(resolve);
      if (urgent && !job.urgent && !job.posted) {
        job.urgent = true;
        this.urgent.push(job); // its entry in the normal queue is skipped when reached
      }
    } else {
      const fresh: Job = { check, waiters: [resolve], urgent, posted: false };
      if (!job) this.pending.set(key, fresh);
      (urgent ? this.urgent : this.normal).push(fresh);
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Hands batches to workers with room, urgent jobs first. An idle worker takes whatever is queued;
   * a busy one gets a second batch only when it is worth a message (PIPELINE_MIN checks) or a block
   * waits on it: each message costs both threads a wake-up and a clone, often more than verifying a
   * few signatures, so small arrivals gather while the worker is busy.
   */
  private flush(): void {
    this.flushScheduled = false;
    for (const worker of this.workers) {
      while (worker.inFlight < BATCHES_IN_FLIGHT_PER_WORKER) {
        if (worker.inFlight > 0 && this.urgent.length === 0 && this.normal.length < PIPELINE_MIN) break;
        const batch = this.take();
        if (batch.length === 0) return;
        const id = this.nextId++;
        this.batches.set(id, batch);
        worker.inFlight++;
        worker.thread.ref(); // a busy worker keeps the process alive, or an awaited batch never settles
        const packed = packChecks(batch.map((j) => j.check));
        worker.thread.postMessage({ id, packed }, [packed.buffer as ArrayBuffer]);
      }
    }
  }

  private take(): Job[] {
    const batch: Job[] = [];
    for (const queue of [this.urgent, this.normal]) {
      let used = 0;
      for (; used < queue.length && batch.length < BATCH_LIMIT; used++) {
        const job = queue[used]!;
        if (job.posted || (queue === this.normal && job.urgent)) continue;
        job.posted = true;
        batch.push(job);
      }
      queue.splice(0, used);
    }
    return batch;
  }

  private settle(worker: { thread: Worker; inFlight: number }, id: number, results: Uint8Array): void {
    const batch = this.batches.get(id) ?? [];
    this.batches.delete(id);
    worker.inFlight--;
    if (worker.inFlight === 0) worker.thread.unref();
    batch.forEach((job, i) => {
      const key = bytesKey(job.check.signature);
      if (this.pending.get(key) === job) this.pending.delete(key);
      for (const w of job.waiters) w(results[i] === 1);
    });
    this.flush();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.thread.terminate()));
  }
}

const CACHE_LIMIT = 50_000;

interface Verified extends SignatureCheck {
  readonly ok: boolean;
}

/**
 * Remembers verification results so each signature is verified once: CheckTx verifies (in the pool)
 * and block execution finds the answer here. Entries are found by signature and match only the exact
 * key and bytes they were verified with, so a cached "true" can never vouch for anything else.
 */
export class SignatureCache {
  private readonly results = new Map<string, Verified>();

  constructor(private readonly batch: BatchVerifier) {}

  private lookup(c: SignatureCheck): boolean | undefined {
    const hit = this.results.get(bytesKey(c.signature));
    if (!hit || !bytesEqual(hit.publicKey, c.publicKey) || !bytesEqual(hit.signBytes, c.signBytes)) return undefined;
    return hit.ok;
  }

  /** Verifies what is not known yet; `urgent` for a block being executed (see BatchVerifier). */
  async prefetch(checks: readonly SignatureCheck[], options?: { urgent?: boolean }): Promise<void> {
    const missing = checks.filter((c) => this.lookup(c) === undefined);
    if (missing.length === 0) return;
    const results = await this.batch.verifyBatch(missing, options);
    missing.forEach((c, i) => this.remember(c, results[i]!));
  }

  /** Drops the answers for these signatures: their tx is in a block now and can never be valid again. */
  forget(signatures: readonly Uint8Array[]): void {
    for (const s of signatures) this.results.delete(bytesKey(s));
  }

  private remember(c: SignatureCheck, ok: boolean): void {
    if (this.results.size >= CACHE_LIMIT) this.results.delete(this.results.keys().next().value!);
    this.results.set(bytesKey(c.signature), { publicKey: c.publicKey, signBytes: c.signBytes, signature: c.signature, ok });
  }

  /** Synchronous check for the ante handler: cached answer, or verified inline and remembered. */
  readonly verify: SignatureVerifier = (publicKey, signBytes, signature) => {
    const check = { publicKey, signBytes, signature };
    const known = this.lookup(check);
    if (known !== undefined) return known;
    const ok = verifySecp256k1(publicKey, signBytes, signature);
    this.remember(check, ok);
    return ok;
  };
}

/**
 * Packs checks into one fresh buffer that is transferred, not copied, to a worker. (Posting the
 * Uint8Arrays themselves would clone each one's whole backing buffer, often an 8 KiB pool slab.)
 * Layout per check: u8 key length, key, u32 sign-bytes length, sign bytes, u8 signature length, signature.
 */
export function packChecks(checks: readonly SignatureCheck[]): Uint8Array {
  const size = checks.reduce((n, c) => n + 1 + c.publicKey.length + 4 + c.signBytes.length + 1 + c.signature.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const c of checks) {
    out[at++] = c.publicKey.length;
    out.set(c.publicKey, at);
    at += c.publicKey.length;
    view.setUint32(at, c.signBytes.length);
    at += 4;
    out.set(c.signBytes, at);
    at += c.signBytes.length;
    out[at++] = c.signature.length;
    out.set(c.signature, at);
    at += c.signature.length;
  }
  return out;
}

export function unpackChecks(packed: Uint8Array): SignatureCheck[] {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const checks: SignatureCheck[] = [];
  let at = 0;
  while (at < packed.length) {
    const keyLength = packed[at++]!;
    const publicKey = packed.subarray(at, (at += keyLength));
    const signLength = view.getUint32(at);
    at += 4;
    const signBytes = packed.subarray(at, (at += signLength));
    const sigLength = packed[at++]!;
    const signature = packed.subarray(at, (at += sigLength));
    checks.push({ publicKey, signBytes, signature });
  }
  return checks;
}
