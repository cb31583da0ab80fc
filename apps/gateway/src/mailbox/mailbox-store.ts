import { createHash } from 'node:crypto';
import { Level } from 'level';

/**
 * Mailboxes in LevelDB (`<gateway home>/mailboxes`): opaque ids and sealed envelopes, nothing else.
 * Keys: `m/<mailbox>` → {created, seq}; `e/<mailbox>/<cursor, 12 digits>` → {id, data (base64)};
 * `i/<mailbox>/<envelope id>` → {cursor, hash, acked}. An acknowledged (deleted) envelope keeps its
 * `i/` row, so a replay of its id is refused rather than delivered again.
 */
export const MAX_ENVELOPES_PER_MAILBOX = 10_000;
export const LIST_PAGE = 200;

export type PutOutcome = 'stored' | 'duplicate' | 'conflict' | 'acknowledged' | 'full' | 'unknown';

interface MailboxRow {
  created: number;
  seq: number;
  count: number;
}
interface IndexRow {
  cursor: number;
  hash: string;
  acked: boolean;
}

const pad = (n: number) => String(n).padStart(12, '0');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export class MailboxStore {
  /** Per-mailbox write queue: cursors are assigned one at a time. */
  private readonly locks = new Map<string, Promise<unknown>>();

  private constructor(private readonly db: Level<string, string>) {}

  static async open(dir: string): Promise<MailboxStore> {
    const db = new Level<string, string>(dir, { valueEncoding: 'utf8' });
    await db.open();
    return new MailboxStore(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private locked<T>(mailbox: string, run: () => Promise<T>): Promise<T> {
    const turn = (this.locks.get(mailbox) ?? Promise.resolve()).then(run);
    const tail = turn.catch(() => undefined);
    this.locks.set(mailbox, tail);
    void tail.then(() => {
      if (this.locks.get(mailbox) === tail) this.locks.delete(mailbox);
    });
    return turn;
  }

  private async row<T>(key: string): Promise<T | undefined> {
    const v = await this.db.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  async exists(mailbox: string): Promise<boolean> {
    return (await this.db.get(`m/${mailbox}`)) !== undefined;
  }

  /** true when created now, false when it existed. */
  create(mailbox: string): Promise<boolean> {
    return this.locked(mailbox, async () => {
      if (await this.exists(mailbox)) return false;
      await this.db.put(`m/${mailbox}`, JSON.stringify({ created: Date.now(), seq: 0, count: 0 } satisfies MailboxRow));
      return true;
    });
  }

  put(mailbox: string, envelope: string, data: Uint8Array): Promise<PutOutcome> {
    return this.locked(mailbox, async () => {
      const m = await this.row<MailboxRow>(`m/${mailbox}`);
      if (!m) return 'unknown';
      const hash = sha(data);
      const known = await this.row<IndexRow>(`i/${mailbox}/${envelope}`);
      if (known) return known.acked ? 'acknowledged' : known.hash === hash ? 'duplicate' : 'conflict';
      if (m.count >= MAX_ENVELOPES_PER_MAILBOX) return 'full';
      const cursor = m.seq + 1;
      await this.db.batch([
        { type: 'put', key: `e/${mailbox}/${pad(cursor)}`, value: JSON.stringify({ id: envelope, data: Buffer.from(data).toString('base64') }) },
        { type: 'put', key: `i/${mailbox}/${envelope}`, value: JSON.stringify({ cursor, hash, acked: false } satisfies IndexRow) },
        { type: 'put', key: `m/${mailbox}`, value: JSON.stringify({ ...m, seq: cursor, count: m.count + 1 } satisfies MailboxRow) },
      ]);
      return 'stored';
    });
  }

  /** Envelopes with a cursor above `after`, oldest first, at most LIST_PAGE. */
  async list(mailbox: string, after: number): Promise<{ envelopes: { id: string; cursor: number; data: string }[]; next: number; more: boolean }> {
    const envelopes: { id: string; cursor: number; data: string }[] = [];
    let more = false;
    for await (const [key, value] of this.db.iterator({ gt: `e/${mailbox}/${pad(after)}`, lt: `e/${mailbox}/~` })) {
      if (envelopes.length === LIST_PAGE) {
        more = true;
        break;
      }
      const e = JSON.parse(value) as { id: string; data: string };
      envelopes.push({ id: e.id, cursor: Number(key.slice(key.lastIndexOf('/') + 1)), data: e.data });
    }
    return { envelopes, next: envelopes.at(-1)?.cursor ?? after, more };
  }

  /** Acknowledges an envelope: its bytes go, its id stays (replays refused). false if it is not stored. */
  delete(mailbox: string, envelope: string): Promise<boolean> {
    return this.locked(mailbox, async () => {
      const known = await this.row<IndexRow>(`i/${mailbox}/${envelope}`);
      const m = await this.row<MailboxRow>(`m/${mailbox}`);
      if (!known || known.acked || !m) return false;
      await this.db.batch([
        { type: 'del', key: `e/${mailbox}/${pad(known.cursor)}` },
        { type: 'put', key: `i/${mailbox}/${envelope}`, value: JSON.stringify({ ...known, acked: true } satisfies IndexRow) },
        { type: 'put', key: `m/${mailbox}`, value: JSON.stringify({ ...m, count: m.count - 1 } satisfies MailboxRow) },
      ]);
      return true;
    });
  }
}
