import { errorMessage, type P2PLogger } from './logger.js';

export interface ReconnectorDeps {
  /** Every peer we would like to be connected to, with the addrs to dial. */
  targets(): Map<string, string[]>;
  isConnected(peerId: string): boolean;
  isDenied(peerId: string): boolean;
  dial(peerId: string, addrs: string[]): Promise<void>;
  log: P2PLogger;
}

export interface ReconnectorOptions {
  /** First retry delay after a failed dial; doubles per failure. */
  baseMs: number;
  /** Retry delay cap. */
  maxMs: number;
  /** Concurrent dials. */
  maxParallel?: number;
}

interface Backoff {
  failures: number;
  nextAt: number;
}

/**
 * Keeps us connected to every known peer (the network is small): on each tick, dials the targets that are
 * not connected, not denied and not backing off after a failed dial.
 */
export class Reconnector {
  private readonly backoff = new Map<string, Backoff>();
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly deps: ReconnectorDeps,
    private readonly opts: ReconnectorOptions,
  ) {}

  start(): void {
    const every = Math.max(200, Math.min(1000, Math.floor(this.opts.baseMs / 2)));
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
  }

  /** Forget the backoff of one peer (its addrs changed) or of all (partition rules changed), and dial soon. */
  reset(peerId?: string): void {
    if (peerId === undefined) this.backoff.clear();
    else this.backoff.delete(peerId);
    if (this.stopped || this.soon !== undefined) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.tick();
    }, 50);
    this.soon.unref();
  }

  tick(now = Date.now()): void {
    if (this.stopped) return;
    const maxParallel = this.opts.maxParallel ?? 8;
    for (const [peerId, addrs] of this.deps.targets()) {
      if (this.inFlight.size >= maxParallel) return;
      if (addrs.length === 0 || this.inFlight.has(peerId)) continue;
      if (this.deps.isConnected(peerId)) {
        this.backoff.delete(peerId);
        continue;
      }
      if (this.deps.isDenied(peerId)) continue;
      if ((this.backoff.get(peerId)?.nextAt ?? 0) > now) continue;
      this.inFlight.add(peerId);
      this.deps
        .dial(peerId, addrs)
        .then(
          () => this.backoff.delete(peerId),
          (err: unknown) => {
            const failures = (this.backoff.get(peerId)?.failures ?? 0) + 1;
            const delay = Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** (failures - 1));
            const jitter = Math.random() * 0.2 * delay;
            this.backoff.set(peerId, { failures, nextAt: Date.now() + delay + jitter });
            this.deps.log.debug({ peer: peerId, failures, err: errorMessage(err) }, 'p2p: dial failed');
          },
        )
        .finally(() => this.inFlight.delete(peerId));
    }
  }
}
