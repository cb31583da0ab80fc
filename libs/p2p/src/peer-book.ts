import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './fs-atomic.js';
import { errorMessage, type P2PLogger } from './logger.js';

/** What the book knows about one peer: where it listens (multiaddrs without /p2p/) and when that was true. */
export interface PeerEntry {
  addrs: string[];
  /** Unix ms when the peer was last known to be reachable at `addrs`. */
  lastSeen: number;
}

interface PeerBookFile {
  version: 1;
  peers: Record<string, PeerEntry>;
}

export const MAX_BOOK_PEERS = 1000;
export const MAX_ADDRS_PER_PEER = 8;
const SAVE_DELAY_MS = 100;

/**
 * Persisted map peerId -> listen addrs + lastSeen. Changes are saved shortly after they happen (debounced),
 * atomically (tmp file + rename). A missing or corrupt file starts an empty book.
 */
export class PeerBook {
  private readonly peers = new Map<string, PeerEntry>();
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly log: P2PLogger,
  ) {}

  static async load(path: string, log: P2PLogger): Promise<PeerBook> {
    const book = new PeerBook(path, log);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ path, err: errorMessage(err) }, 'p2p: cannot read peer book, starting empty');
    }
    if (text === undefined) return book;
    try {
      const parsed = JSON.parse(text) as Partial<PeerBookFile>;
      for (const [id, entry] of Object.entries(parsed.peers ?? {})) {
        if (!Array.isArray(entry?.addrs) || typeof entry.lastSeen !== 'number') continue;
        const addrs = entry.addrs.filter((a): a is string => typeof a === 'string').slice(0, MAX_ADDRS_PER_PEER);
        if (addrs.length > 0) book.peers.set(id, { addrs, lastSeen: entry.lastSeen });
      }
    } catch (err) {
      log.warn({ path, err: errorMessage(err) }, 'p2p: corrupt peer book, starting empty');
    }
    return book;
  }

  get size(): number {
    return this.peers.size;
  }

  get(peerId: string): PeerEntry | undefined {
    const e = this.peers.get(peerId);
    return e && { addrs: [...e.addrs], lastSeen: e.lastSeen };
  }

  entries(): [string, PeerEntry][] {
    return [...this.peers].map(([id, e]) => [id, { addrs: [...e.addrs], lastSeen: e.lastSeen }]);
  }

  /** First-hand knowledge (the peer identified itself to us): replaces its addrs. Returns true if they changed. */
  observe(peerId: string, addrs: string[], now = Date.now()): boolean {
    const clean = dedupe(addrs).slice(0, MAX_ADDRS_PER_PEER);
    if (clean.length === 0) return false;
    const old = this.peers.get(peerId);
    const changed = old === undefined || !sameAddrs(old.addrs, clean);
    this.peers.set(peerId, { addrs: clean, lastSeen: Math.max(now, old?.lastSeen ?? 0) });
    this.evictOverflow();
    this.scheduleSave();
    return changed;
  }

  /** Second-hand knowledge (peer exchange): the newer record wins. Returns true if the addrs changed. */
  merge(peerId: string, addrs: string[], lastSeen: number): boolean {
    const clean = dedupe(addrs).slice(0, MAX_ADDRS_PER_PEER);
    if (clean.length === 0) return false;
    const old = this.peers.get(peerId);
    if (old !== undefined && old.lastSeen >= lastSeen) return false;
    this.peers.set(peerId, { addrs: clean, lastSeen });
    this.evictOverflow();
    this.scheduleSave();
    return old === undefined || !sameAddrs(old.addrs, clean);
  }

  /** The peer was reachable at its known addrs until now (e.g. it just disconnected). */
  touch(peerId: string, now = Date.now()): void {
    const e = this.peers.get(peerId);
    if (e === undefined || e.lastSeen >= now) return;
    e.lastSeen = now;
    this.scheduleSave();
  }

  remove(peerId: string): void {
    if (this.peers.delete(peerId)) this.scheduleSave();
  }

  /** Writes pending changes now and waits for them to be on disk. */
  async flush(): Promise<void> {
    if (this.saveTimer !== undefined) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.queueSave();
    }
    await this.saving;
  }

  private scheduleSave(): void {
    if (this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.queueSave();
    }, SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  private queueSave(): void {
    const file: PeerBookFile = { version: 1, peers: Object.fromEntries(this.peers) };
    const text = JSON.stringify(file, null, 2) + '\n';
    this.saving = this.saving
      .then(() => writeFileAtomic(this.path, text, 0o644))
      .catch((err: unknown) => this.log.warn({ path: this.path, err: errorMessage(err) }, 'p2p: cannot save peer book'));
  }

  private evictOverflow(): void {
    if (this.peers.size <= MAX_BOOK_PEERS) return;
    const oldest = [...this.peers].sort((a, b) => a[1].lastSeen - b[1].lastSeen);
    for (const [id] of oldest.slice(0, this.peers.size - MAX_BOOK_PEERS)) this.peers.delete(id);
  }
}

function dedupe(addrs: string[]): string[] {
  return [...new Set(addrs)];
}

function sameAddrs(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}
