import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CID } from 'multiformats/cid';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { DiskBlockstore } from '@trucom/content';
import { connectSigner, TrucomQueries } from '@trucom/client';
import { accountKeyFromMnemonic, keyHolderKey } from '@trucom/crypto';
import type { GatewayConfig } from './config.js';
import { PaymentBook } from './chain/payments.js';
import { SiteDirectory } from './chain/site-directory.js';
import { ChainKeyAuthority } from './keys/chain-key-authority.js';
import type { KeyAuthority } from './keys/key-server.js';
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

/** A gateway that is not a key holder holds no content keys. */
const NO_KEYS: KeyAuthority = { grantActive: async () => false, contentKey: async () => undefined };

/**
 * Everything a gateway runs besides HTTP: the blockstore, the chain views (payments, sites, grants),
 * the replica fetcher and, when its home holds a provider key, the provider duties (replicator,
 * prover, bandwidth meter) and the content keys sealed to it.
 */
export class GatewayRuntime {
  readonly requests: Counter<'status'>;
  readonly bytesServed: Counter<'deal'>;
  readonly gateway: ContentGateway;
  readonly workDir: string;
  private readonly stops: (() => void)[] = [];
  private meter: BandwidthMeter | undefined;
  keys: KeyAuthority = NO_KEYS;
  private chainIdCache: Promise<string> | undefined;

  private constructor(
    readonly config: GatewayConfig,
    readonly store: DiskBlockstore,
    readonly chain: TrucomQueries,
    readonly fetcher: ReplicaFetcher,
    registry: Registry,
  ) {
    const payments = new PaymentBook(chain, async (cid) => fetcher.holds(cid) || (await store.has(cid)), (cid) => fetcher.rootsHolding(cid));
    const sites = new SiteDirectory(chain);
    this.gateway = new ContentGateway({ blocks: store, verdict: (cid) => payments.verdict(cid), siteRoot: (name) => sites.root(name), ensureLocal: (root) => fetcher.ensureLocal(root), holds: (root) => fetcher.holds(root) });
    this.requests = new Counter({ name: 'gateway_content_requests_total', help: 'Content requests by HTTP status', labelNames: ['status'] as const, registers: [registry] });
    this.bytesServed = new Counter({ name: 'gateway_bytes_served_total', help: 'Body bytes served per deal', labelNames: ['deal'] as const, registers: [registry] });
    this.workDir = join(config.home, 'work');
  }

  static async start(config: GatewayConfig, registry: Registry, log: Logger): Promise<GatewayRuntime> {
    const store = await DiskBlockstore.open(join(config.home, 'blocks'));
    const chain = TrucomQueries.connect(config.rpc);
    const key = loadProviderKey(config.home);
    const fetcher = await ReplicaFetcher.open({ store, markerDir: join(config.home, 'complete'), sources: (root) => sourcesOf(chain, root, key?.address), log: log.child({ part: 'replication' }) });
    const runtime = new GatewayRuntime(config, store, chain, fetcher, registry);
    await mkdir(runtime.workDir, { recursive: true });
    if (!key) log.warn({ file: providerKeyFile(config.home) }, 'no provider key: serving only (no replication, proofs, bandwidth claims or content keys)');
    else await runtime.startProviderDuties(key, log);
    return runtime;
  }

  private async startProviderDuties(key: ProviderKey, log: Logger): Promise<void> {
    const { config, chain, store, fetcher } = this;
    const signer = await connectSigner(config.rpc, key.mnemonic);
    if (signer.address !== key.address) throw new Error(`${providerKeyFile(config.home)}: the mnemonic derives ${signer.address}, not ${key.address}`);
    const { privateKey } = await accountKeyFromMnemonic(key.mnemonic);
    this.keys = new ChainKeyAuthority(chain, key.address, keyHolderKey(privateKey));
    const txs = new TxQueue(signer);
    const meter = (this.meter = new BandwidthMeter(txs, chain, log.child({ part: 'meter' })));
    const replicator = new Replicator(chain, fetcher, key.address, log.child({ part: 'replicator' }));
    const prover = new Prover(chain, store, (root) => fetcher.holds(root), txs, log.child({ part: 'prover' }));
    this.stops.push(
      every(config.replicateEveryMs, 'replicate', () => replicator.tick(), log),
      every(config.proveEveryMs, 'prove', () => prover.tick(), log),
      every(config.claimEveryMs, 'claim bandwidth', () => meter.claim(), log),
    );
    log.info({ provider: key.address }, 'provider duties started');
  }

  /** A response body of `bytes` went out for `dealId`. */
  served(dealId: string, bytes: number): void {
    this.bytesServed.inc({ deal: dealId }, bytes);
    this.meter?.record(dealId, bytes);
  }

  async stored(root: CID): Promise<void> {
    await this.fetcher.markComplete(root);
  }

  /** The root CID of a registered stream: its content's deal's CID. */
  async contentRoot(content: string): Promise<string | undefined> {
    const found = await this.chain.content(content);
    // deal 0: a live stream not stored under a deal yet
    if (!found?.dealId) return undefined;
    return (await this.chain.deal(found.dealId!))?.deal?.cid ?? undefined;
  }

  chainId(): Promise<string> {
    this.chainIdCache ??= this.chain.comet.status().then((s) => s.nodeInfo.network);
    this.chainIdCache.catch(() => (this.chainIdCache = undefined));
    return this.chainIdCache;
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
