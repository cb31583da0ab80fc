import { sha256, bytesKey } from '@trucom/crypto';
import { PREFIX, dbKey, prefixEnd, type Batch, type ChainDB } from '../db.js';
import { applyUpdates, EMPTY_ROOT, prove, type NodeStore, type TreeProof, type TreeUpdate } from './smt.js';
import type { IterableKVStore } from './kv-store.js';

const NODE_CACHE_LIMIT = 200_000;
const VALUE_CACHE_LIMIT = 100_000;
const META_ROOT = dbKey(PREFIX.meta, 'app_hash');
const META_HEIGHT = dbKey(PREFIX.meta, 'height');

/**
 * The committed state in LevelDB: flat values for fast reads, plus the state tree whose root is the
 * app hash. Blocks change it only through stage() (compute the next root) and commit() (add every
 * write to the block's atomic batch), so the flat values and the tree never disagree on disk.
 */
export class CommittedState implements IterableKVStore, NodeStore {
  private readonly nodeCache = new Map<string, Uint8Array>();
  /** Recently read or written values (null = known absent); kept exact by commit(). */
  private readonly valueCache = new Map<string, Uint8Array | null>();
  private stagedNodes = new Map<string, Uint8Array>();
  private staged: { changes: ReadonlyMap<string, Uint8Array | null>; root: Uint8Array } | undefined;
  /**
   * The last committed block's changes while its batch is being written: the caches are bounded and
   * may drop them before LevelDB has them, so reads look here first.
   */
  private unwritten: { changes: ReadonlyMap<string, Uint8Array | null>; nodes: ReadonlyMap<string, Uint8Array> } | undefined;

  private constructor(
    private readonly db: ChainDB,
    private rootHash: Uint8Array,
    private lastHeight: number,
  ) {}

  static async open(db: ChainDB): Promise<CommittedState> {
    const root = (await db.get(META_ROOT)) ?? EMPTY_ROOT;
    const height = await db.get(META_HEIGHT);
    return new CommittedState(db, new Uint8Array(root), height ? Number(Buffer.from(height).toString()) : 0);
  }

  get appHash(): Uint8Array {
    return this.rootHash;
  }

  get height(): number {
    return this.lastHeight;
  }

  get(key: string): Uint8Array | undefined {
    const unwritten = this.unwritten?.changes.get(key);
    if (unwritten !== undefined) return unwritten ?? undefined;
    const cached = this.valueCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const value = this.db.getSync(Buffer.from(PREFIX.state + key)) ?? null;
    this.cacheValue(key, value);
    return value ?? undefined;
  }

  private cacheValue(key: string, value: Uint8Array | null): void {
    if (this.valueCache.size >= VALUE_CACHE_LIMIT) this.valueCache.delete(this.valueCache.keys().next().value!);
    this.valueCache.set(key, value);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  async *iterate(prefix: string, options: { reverse?: boolean; limit?: number; start?: string } = {}): AsyncIterable<[string, Uint8Array]> {
    const from = dbKey(PREFIX.state, options.start && !options.reverse ? options.start : prefix);
    const to = options.start && options.reverse ? dbKey(PREFIX.state, options.start) : prefixEnd(dbKey(PREFIX.state, prefix));
    const skip = PREFIX.state.length;
    await this.db.settled();
    for await (const [k, v] of this.db.iterator({ gte: from, lt: to, reverse: options.reverse, limit: options.limit ?? -1 })) {
      yield [k.subarray(skip).toString(), v];
    }
  }

  getNode(hash: Uint8Array): Uint8Array | undefined {
    const id = bytesKey(hash);
    const node = this.stagedNodes.get(id) ?? this.unwritten?.nodes.get(id) ?? this.nodeCache.get(id);
    if (node) return node;
    const stored = this.db.getSync(dbKey(PREFIX.treeNode, hash)) ?? undefined;
    if (stored) this.cacheNode(id, stored);
    return stored;
  }

  putNode(hash: Uint8Array, node: Uint8Array): void {
    this.stagedNodes.set(bytesKey(hash), node);
  }

  private cacheNode(id: string, node: Uint8Array): void {
    if (this.nodeCache.size >= NODE_CACHE_LIMIT) this.nodeCache.delete(this.nodeCache.keys().next().value!);
    this.nodeCache.set(id, node);
  }

  /** Computes the root the state would have after `changes`, without writing anything. */
  stage(changes: ReadonlyMap<string, Uint8Array | null>): Uint8Array {
    this.stagedNodes.clear();
    const updates: TreeUpdate[] = [];
    for (const [key, value] of changes) {
      updates.push({ path: sha256(Buffer.from(key)), valueHash: value === null ? null : sha256(value) });
    }
    const root = applyUpdates(this, this.rootHash, updates);
    this.staged = { changes, root };
    return root;
  }

  /** Adds the staged changes to the block's batch; then committed(), and written() once it is on disk. */
  commit(batch: Batch, height: number): void {
    if (!this.staged) throw new Error('nothing staged');
    for (const [key, value] of this.staged.changes) {
      if (value === null) batch.del(dbKey(PREFIX.state, key));
      else batch.put(dbKey(PREFIX.state, key), value);
    }
    for (const [id, node] of this.stagedNodes) batch.put(dbKey(PREFIX.treeNode, Buffer.from(id, 'latin1')), node);
    batch.put(META_ROOT, this.staged.root);
    batch.put(META_HEIGHT, Buffer.from(String(height)));
  }

  /**
   * The state moves on to the staged block. Its batch may still be being written: its changes are
   * read from memory until written(), or until the next block (whose batch is written after it).
   */
  committed(height: number): void {
    if (!this.staged) throw new Error('nothing staged');
    const nodes = this.stagedNodes;
    for (const [id, node] of nodes) this.cacheNode(id, node);
    for (const [key, value] of this.staged.changes) this.cacheValue(key, value);
    this.unwritten = { changes: this.staged.changes, nodes };
    this.stagedNodes = new Map();
    this.rootHash = this.staged.root;
    this.lastHeight = height;
    this.staged = undefined;
  }

  /** The committed block's batch is on disk: LevelDB answers for it from now on. */
  written(): void {
    this.unwritten = undefined;
  }

  /** Merkle proof of a key's current value (or absence) against the committed app hash. */
  prove(key: string): TreeProof {
    return prove(this, this.rootHash, sha256(Buffer.from(key)));
  }
}
