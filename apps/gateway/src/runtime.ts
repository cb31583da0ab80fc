import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CID } from 'multiformats/cid';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { DiskBlockstore } from '@trucom/content';
import { connectSigner, TrucomQueries } from '@trucom/client';
import type { GatewayConfig } from './config.js';
import { PaymentBook } from './chain/payments.js';
import { SiteDirectory } from './chain/site-directory.js';
import { ReplicaFetcher } from './replication/replica-fetcher.js';
import { ContentGateway } from './serving/content-gateway.js';
import { BandwidthMeter } from './provider/meter.js';
import { Prover } from './provider/prover.js';
import { Replicator } from './provider/replicator.js';
import { every } from './provider/ticker.js';
import { TxQueue } from './provider/tx-queue.js';

/** The provider account a gateway signs proofs and claims with (`<home>/provider.json`, written by `trucom devnet`). */
export interface ProviderKey {
  readonly name?: string;
  readonly address: string;
  readonly mnemonic: string;
}

export function providerKeyFile(home: string): string {
  return join(home, 'provider.json');
}

function loadProviderKey(home: string): ProviderKey | undefined {
  const file = providerKeyFile(home);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ProviderKey) : undefined;
}

/**
 * Everything a gateway runs besides HTTP: the blockstore, the chain views (payments, sites), the
 * replica fetcher and, when it has a provider key, the replicator, prover and bandwidth meter.
 */
export class GatewayRuntime {
  private readonly stops: (() => void)[] = [];

  private constructor(
    readonly config: GatewayConfig,
    readonly store: DiskBlockstore,
    readonly chain: TrucomQueries,
    readonly fetcher: ReplicaFetcher,
    readonly gateway: ContentGateway,
    readonly requests: Counter<'status'>,
    readonly bytesServed: Counter<'deal'>,
    private readonly meter: BandwidthMeter | undefined,
  ) {}

  static async start(config: GatewayConfig, registry: Registry, log: Logger): Promise<GatewayRuntime> {
    const store = await DiskBlockstore.open(join(config.home, 'blocks'));
    const chain = TrucomQueries.connect(config.rpc);
    const key = loadProviderKey(config.home);
    const self = key?.address;
    const fetcher = await ReplicaFetcher.open({ store, markerDir: join(config.home, 'complete'), sources: (root) => sourcesOf(chain, root, self), log: log.child({ part: 'replication' }) });
    const payments = new PaymentBook(chain, async (cid) => fetcher.holds(cid) || (await store.has(cid)));
    const sites = new SiteDirectory(chain);
    const gateway = new ContentGateway({ blocks: store, verdict: (cid) => payments.verdict(cid), siteRoot: (name) => sites.root(name), ensureLocal: (root) => fetcher.ensureLocal(root), holds: (root) => fetcher.holds(root) });
    const requests = new Counter({ name: 'gateway_content_requests_total', help: 'Content requests by HTTP status', labelNames: ['status'] as const, registers: [registry] });
    const bytesServed = new Counter({ name: 'gateway_bytes_served_total', help: 'Body bytes served per deal', labelNames: ['deal'] as const, registers: [registry] });
    let meter: BandwidthMeter | undefined;
    const runtime = (m?: BandwidthMeter) => new GatewayRuntime(config, store, chain, fetcher, gateway, requests, bytesServed, m);
    if (!key) {
      log.warn({ file: providerKeyFile(config.home) }, 'no provider key: serving only (no replication, proofs or bandwidth claims)');
      return runtime();
    }
    const signer = await connectSigner(config.rpc, key.mnemonic);
    if (signer.address !== key.address) throw new Error(`${providerKeyFile(config.home)}: the mnemonic derives ${signer.address}, not ${key.address}`);
    const txs = new TxQueue(signer);
    meter = new BandwidthMeter(txs, log.child({ part: 'meter' }));
    const started = runtime(meter);
    const replicator = new Replicator(chain, fetcher, key.address, log.child({ part: 'replicator' }));
    const prover = new Prover(chain, store, (root) => fetcher.holds(root), txs, log.child({ part: 'prover' }));
    const m = meter;
    started.stops.push(
      every(config.replicateEveryMs, 'replicate', () => replicator.tick(), log),
      every(config.proveEveryMs, 'prove', () => prover.tick(), log),
      every(config.claimEveryMs, 'claim bandwidth', () => m.claim(), log),
    );
    log.info({ provider: key.address }, 'provider duties started');
    return started;
  }

  /** A response body of `bytes` went out for `dealId`. */
  served(dealId: string, bytes: number): void {
    this.bytesServed.inc({ deal: dealId }, bytes);
    this.meter?.record(dealId, bytes);
  }

  async stored(root: CID): Promise<void> {
    await this.fetcher.markComplete(root);
  }

  close(): void {
    for (const stop of this.stops) stop();
    this.chain.disconnect();
  }
}

/** Endpoints that may hold `root`: its replicas' providers first, then every other provider; never our own. */
async function sourcesOf(chain: TrucomQueries, root: CID, self: string | undefined): Promise<string[]> {
  const [providers, { deals }] = await Promise.all([chain.providers(), chain.dealsOf({ cid: root.toString() })]);
  const endpointOf = new Map(providers.map((p) => [p.address!, p.endpoint!]));
  const holders = (deals ?? []).flatMap((d) => (d.replicas ?? []).filter((r) => r.status !== 'failed').map((r) => r.provider!));
  const ordered = [...new Set([...holders, ...providers.map((p) => p.address!)])].filter((a) => a !== self);
  return ordered.map((a) => endpointOf.get(a)).filter((e): e is string => !!e);
}
