/**
 * The state as contracts see it: a synchronous map from string keys to bytes. Synchronous so that
 * state transitions stay plain deterministic functions; committed reads come from LevelDB's getSync.
 */
export interface ReadonlyKVStore {
  get(key: string): Uint8Array | undefined;
  has(key: string): boolean;
}

export interface KVStore extends ReadonlyKVStore {
  set(key: string, value: Uint8Array): void;
  delete(key: string): void;
}

/** Ordered scan for queries (never for state transitions: LevelDB iterators are asynchronous). */
export interface IterableKVStore extends ReadonlyKVStore {
  iterate(prefix: string, options?: { reverse?: boolean; limit?: number; start?: string }): AsyncIterable<[string, Uint8Array]>;
}

/**
 * A write buffer over a parent store: reads fall through, writes stay here until `write()`.
 * Transactions run in one of these (commit-or-revert), and so does a whole block.
 */
export class CacheKVStore implements KVStore {
  private readonly writes = new Map<string, Uint8Array | null>();

  constructor(private readonly parent: ReadonlyKVStore & Partial<Pick<KVStore, 'set' | 'delete'>>) {}

  get(key: string): Uint8Array | undefined {
    const w = this.writes.get(key);
    if (w !== undefined) return w ?? undefined;
    return this.parent.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: Uint8Array): void {
    this.writes.set(key, value);
  }

  delete(key: string): void {
    this.writes.set(key, null);
  }

  /** Pending writes, null meaning delete. */
  changes(): ReadonlyMap<string, Uint8Array | null> {
    return this.writes;
  }

  /** Flushes the buffered writes into the parent store (which must be writable). */
  write(): void {
    const { set, delete: del } = this.parent;
    if (!set || !del) throw new Error('parent store is read-only');
    for (const [k, v] of this.writes) {
      if (v === null) del.call(this.parent, k);
      else set.call(this.parent, k, v);
    }
    this.writes.clear();
  }
}

/** Prefixes every key, so a module's keeper can be handed only its own part of the state. */
export class PrefixStore implements KVStore {
  constructor(
    private readonly parent: KVStore,
    private readonly prefix: string,
  ) {}
  get(key: string) {
    return this.parent.get(this.prefix + key);
  }
  has(key: string) {
    return this.parent.has(this.prefix + key);
  }
  set(key: string, value: Uint8Array) {
    this.parent.set(this.prefix + key, value);
  }
  delete(key: string) {
    this.parent.delete(this.prefix + key);
  }
}
