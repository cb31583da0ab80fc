import { Worker } from 'node:worker_threads';
import { cpus } from 'node:os';
import { bytesEqual, verifySecp256k1 } from '@trucom/crypto';
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
  private readonly pending = new Map<number, (results: Uint8Array) => void>();
  private queue: { check: SignatureCheck; resolve: (ok: boolean) => void }[] = [];
  private nextId = 0;
  private nextWorker = 0;
  private flushScheduled = false;

  constructor(size = Math.max(1, cpus().length - 1)) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(new URL('./signature-worker.js', import.meta.url));
      worker.on('message', ({ id, results }: { id: number; results: Uint8Array }) => {
        this.pending.get(id)?.(results);
        this.pending.delete(id);
        // Idle workers must not keep the process alive; busy ones must, or an awaited batch never settles.
        if (this.pending.size === 0) for (const w of this.workers) w.unref();
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
      this.pending.set(id, (results) => chunk.forEach((c, j) => c.resolve(results[j] === 1)));
      const worker = this.workers[this.nextWorker++ % this.workers.length]!;
      worker.ref();
      const packed = packChecks(chunk.map((c) => c.check));
      worker.postMessage({ id, packed }, [packed.buffer as ArrayBuffer]);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
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
    const hit = this.results.get(Buffer.from(c.signature).toString('latin1'));
    if (!hit || !bytesEqual(hit.publicKey, c.publicKey) || !bytesEqual(hit.signBytes, c.signBytes)) return undefined;
    return hit.ok;
  }

  async prefetch(checks: readonly SignatureCheck[]): Promise<void> {
    const missing = checks.filter((c) => this.lookup(c) === undefined);
    if (missing.length === 0) return;
    const results = await this.batch.verifyBatch(missing);
    missing.forEach((c, i) => this.remember(c, results[i]!));
  }

  /** Drops the answers for these signatures: their tx is in a block now and can never be valid again. */
  forget(signatures: readonly Uint8Array[]): void {
    for (const s of signatures) this.results.delete(Buffer.from(s).toString('latin1'));
  }

  private remember(c: SignatureCheck, ok: boolean): void {
    if (this.results.size >= CACHE_LIMIT) this.results.delete(this.results.keys().next().value!);
    this.results.set(Buffer.from(c.signature).toString('latin1'), { ...c, ok });
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
