import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { importCar, type BlockStore, type ImportedContent } from '@trucom/content';
import type { Logger } from 'pino';

export interface ReplicaFetcherOptions {
  readonly store: BlockStore;
  /** One empty file per root whose whole DAG is here (written only after every block is stored). */
  readonly markerDir: string;
  /** Gateways that may hold a root (its replicas first), this one excluded. */
  readonly sources: (root: CID) => Promise<string[]>;
  readonly log: Logger;
  readonly timeoutMs?: number;
}

/**
 * Makes whole DAGs local: fetched from other gateways as trustless CARs (`Cache-Control:
 * only-if-cached`, so a gateway never asks further on our behalf), every block checked against its CID
 * and the DAG checked complete before the root counts as held. One fetch per root at a time.
 */
export class ReplicaFetcher {
  private readonly complete = new Set<string>();
  private readonly inFlight = new Map<string, Promise<boolean>>();

  private constructor(private readonly options: ReplicaFetcherOptions) {}

  static async open(options: ReplicaFetcherOptions): Promise<ReplicaFetcher> {
    const fetcher = new ReplicaFetcher(options);
    await mkdir(options.markerDir, { recursive: true });
    for (const name of await readdir(options.markerDir)) fetcher.complete.add(name);
    return fetcher;
  }

  holds(root: CID): boolean {
    return this.complete.has(root.toV1().toString());
  }

  /** Records a root whose DAG was imported here whole (an upload or a verified CAR). */
  async markComplete(root: CID): Promise<void> {
    const key = root.toV1().toString();
    if (this.complete.has(key)) return;
    await writeFile(join(this.options.markerDir, key), '');
    this.complete.add(key);
  }

  ensureLocal(root: CID): Promise<boolean> {
    if (this.holds(root)) return Promise.resolve(true);
    const key = root.toV1().toString();
    let running = this.inFlight.get(key);
    if (!running) {
      running = this.fetchFromAny(root).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, running);
    }
    return running;
  }

  private async fetchFromAny(root: CID): Promise<boolean> {
    for (const endpoint of await this.options.sources(root)) {
      try {
        const imported = await this.fetchFrom(endpoint, root);
        await this.markComplete(root);
        this.options.log.info({ root: root.toString(), from: endpoint, bytes: imported.size.toString(), blocks: imported.blocks }, 'replica fetched and verified');
        return true;
      } catch (err) {
        this.options.log.warn({ root: root.toString(), from: endpoint, err: (err as Error).message }, 'replica source failed');
      }
    }
    return false;
  }

  private async fetchFrom(endpoint: string, root: CID): Promise<ImportedContent> {
    const url = `${endpoint.replace(/\/$/, '')}/ipfs/${root.toString()}?format=car&dag-scope=all`;
    const res = await fetch(url, {
      headers: { accept: 'application/vnd.ipld.car', 'cache-control': 'only-if-cached' },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
    });
    if (res.status !== 200 || !res.body) throw new Error(`${url} answered ${res.status}`);
    const imported = await importCar(this.options.store, res.body as unknown as AsyncIterable<Uint8Array>);
    if (imported.root.toV1().toString() !== root.toV1().toString()) throw new Error(`${url} sent a CAR for ${imported.root.toString()}`);
    return imported;
  }
}
