export interface TtlCacheOptions {
  /**
   * After `ttlMs`, an answer may still be served for this long while a background lookup replaces
   * it (stale-while-revalidate): a request then never waits on the chain, yet no answer older than
   * `ttlMs + staleMs` (plus one lookup) is ever used. 0: an expired answer is always awaited afresh.
   */
  readonly staleMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Entry<V> {
  value: Promise<V>;
  fetched: number;
  /** The value has settled successfully: only then may it be served stale. */
  settled: boolean;
  refreshing: boolean;
}

/**
 * Answers from the chain, remembered for a short time: a viewer's request must not cost a query, but a
 * cancelled deal, an updated site or a revoked grant must take effect within a bounded time.
 * Concurrent misses share one lookup; a failed lookup is not remembered.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly staleMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly ttlMs: number,
    options: TtlCacheOptions = {},
  ) {
    this.staleMs = options.staleMs ?? 0;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit) {
      const age = t - hit.fetched;
      if (age < this.ttlMs) return hit.value;
      if (hit.settled && age < this.ttlMs + this.staleMs) {
        if (!hit.refreshing) this.refresh(key, hit, load);
        return hit.value;
      }
    }
    if (!hit && this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const entry: Entry<V> = { value: load(), fetched: t, settled: false, refreshing: false };
    this.entries.set(key, entry);
    this.track(key, entry);
    return entry.value;
  }

  clear(): void {
    this.entries.clear();
  }

  private refresh(key: string, stale: Entry<V>, load: () => Promise<V>): void {
    stale.refreshing = true;
    const entry: Entry<V> = { value: load(), fetched: this.now(), settled: false, refreshing: false };
    entry.value.then(
      () => {
        if (this.entries.get(key) === stale) this.entries.set(key, { ...entry, settled: true });
      },
      () => {
        // keep serving the stale answer until it ages out; the next request retries
        stale.refreshing = false;
      },
    );
  }

  private track(key: string, entry: Entry<V>): void {
    entry.value.then(
      () => {
        entry.settled = true;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
  }
}
