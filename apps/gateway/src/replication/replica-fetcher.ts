import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { cidKey, dagCids, importCar, type BlockStore, type ImportedContent } from '@trucom/content';
import type { Logger } from 'pino';

export interface ReplicaFetcherOptions {
  readonly store: BlockStore;
  /** One file per root whose whole DAG is here, listing the DAG's block CIDs (written only after every block is stored). */
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
 *
 * Every block of a held DAG is indexed to its root(s): a block inside a paid DAG is paid content
 * too, and trustless clients (Helia's block brokers) fetch a DAG block by block, by each block's CID.
 */
export class ReplicaFetcher {
  private readonly complete = new Set<string>();
  /** cidKey of every block of a complete DAG → the roots (as strings) whose DAGs hold it. */
  private readonly members = new Map<string, string[]>();
  private readonly inFlight = new Map<string, Promise<boolean>>();

  private constructor(private readonly options: ReplicaFetcherOptions) {}

  static async open(options: ReplicaFetcherOptions): Promise<ReplicaFetcher> {
    const fetcher = new ReplicaFetcher(options);
    await mkdir(options.markerDir, { recursive: true });
    for (const name of await readdir(options.markerDir)) {
      try {
        const listed = (await readFile(join(options.markerDir, name), 'utf8')).split('\n').filter(Boolean);
        // markers written before the index were empty: list their DAGs once now
        await fetcher.record(CID.parse(name), listed.length > 0 ? listed.map((c) => CID.parse(c)) : undefined);
      } catch (err) {
        options.log.warn({ marker: name, err: (err as Error).message }, 'a completion marker could not be read or its DAG listed; it is ignored (the DAG is fetched again when needed)');
      }
    }
    return fetcher;
  }

  /** Whether the whole DAG under `cid` is here: a held root, or any block inside a held DAG. */
  holds(cid: CID): boolean {
    return this.complete.has(cid.toV1().toString()) || this.members.has(cidKey(cid));
  }

  /** The held roots whose DAGs contain `cid` (itself included when it is one). */
  rootsHolding(cid: CID): CID[] {
    return (this.members.get(cidKey(cid)) ?? []).map((r) => CID.parse(r));
  }

  /** Records a root whose DAG was imported here whole (an upload or a verified CAR). */
  async markComplete(root: CID): Promise<void> {
    if (this.complete.has(root.toV1().toString())) return;
    await this.record(root);
  }

  /** Indexes the DAG's blocks (listed from the store unless given) and writes its marker with them. */
  private async record(root: CID, listed?: CID[]): Promise<void> {
    const key = root.toV1().toString();
    const cids = listed ?? (await dagCids(this.options.store, root));
    if (!listed) await writeFile(join(this.options.markerDir, key), cids.map((c) => c.toString() + '\n').join(''));
    for (const cid of cids) {
      const roots = this.members.get(cidKey(cid));
      if (!roots) this.members.set(cidKey(cid), [key]);
      else if (!roots.includes(key)) roots.push(key);
    }
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
