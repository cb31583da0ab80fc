import { Worker } from 'node:worker_threads';
import { cpus } from 'node:os';
import { sha256, verifySecp256k1 } from '@trucom/crypto';
import type { SignatureVerifier } from '../app/module.js';

/** One signature a tx needs checked: signer public key, the sign bytes, the signature. */
export interface SignatureCheck {
  readonly publicKey: Uint8Array;
  readonly signBytes: Uint8Array;
  readonly signature: Uint8Array;
}

/** Verifies many signatures, possibly off the main thread. */
export interface BatchVerifier {
  verifyBatch(checks: readonly SignatureCheck[]): Promise<boolean[]>;
  close(): Promise<void>;
}

export const inlineVerifier: BatchVerifier = {
  async verifyBatch(checks) {
    return checks.map((c) => verifySecp256k1(c.publicKey, c.signBytes, c.signature));
  },
  async close() {},
};

/**
 * A pool of worker threads running OpenSSL verification. Requests arriving in the same tick are
 * batched per worker, so the message-passing cost is paid per batch, not per signature.
 */
export class WorkerPoolVerifier implements BatchVerifier {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, (results: boolean[]) => void>();
  private queue: { check: SignatureCheck; resolve: (ok: boolean) => void }[] = [];
  private nextId = 0;
  private nextWorker = 0;
  private flushScheduled = false;

  constructor(size = Math.max(1, cpus().length)) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./signature-worker.js', import.meta.url));
      worker.on('message', ({ id, results }: { id: number; results: boolean[] }) => {
        this.pending.get(id)?.(results);
        this.pending.delete(id);
      });
      worker.unref();
      return worker;
    });
  }

  verifyBatch(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    return Promise.all(checks.map((check) => new Promise<boolean>((resolve) => this.enqueue(check, resolve))));
  }

  private enqueue(check: SignatureCheck, resolve: (ok: boolean) => void): void {
    this.queue.push({ check, resolve });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const queue = this.queue;
    this.queue = [];
    const per = Math.ceil(queue.length / this.workers.length);
    for (let i = 0; i < queue.length; i += per) {
      const chunk = queue.slice(i, i + per);
      const id = this.nextId++;
      this.pending.set(id, (results) => chunk.forEach((c, j) => c.resolve(results[j]!)));
      const worker = this.workers[this.nextWorker++ % this.workers.length]!;
      worker.postMessage({ id, checks: chunk.map((c) => c.check) });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const CACHE_LIMIT = 50_000;

/**
 * Remembers verification results so each signature is verified once: CheckTx verifies (in the pool)
 * and block execution finds the answer here. The key covers key, bytes and signature, so a cached
 * "true" can never vouch for anything else.
 */
export class SignatureCache {
  private readonly results = new Map<string, boolean>();

  constructor(private readonly batch: BatchVerifier) {}

  private static key(c: SignatureCheck): string {
    return Buffer.from(sha256(c.publicKey, c.signBytes, c.signature)).toString('latin1');
  }

  async prefetch(checks: readonly SignatureCheck[]): Promise<void> {
    const missing = checks.filter((c) => !this.results.has(SignatureCache.key(c)));
    if (missing.length === 0) return;
    const results = await this.batch.verifyBatch(missing);
    missing.forEach((c, i) => this.remember(SignatureCache.key(c), results[i]!));
  }

  private remember(key: string, ok: boolean): void {
    if (this.results.size >= CACHE_LIMIT) this.results.delete(this.results.keys().next().value!);
    this.results.set(key, ok);
  }

  /** Synchronous check for the ante handler: cached answer, or verified inline and remembered. */
  readonly verify: SignatureVerifier = (publicKey, signBytes, signature) => {
    const key = SignatureCache.key({ publicKey, signBytes, signature });
    const known = this.results.get(key);
    if (known !== undefined) return known;
    const ok = verifySecp256k1(publicKey, signBytes, signature);
    this.remember(key, ok);
    return ok;
  };
}
