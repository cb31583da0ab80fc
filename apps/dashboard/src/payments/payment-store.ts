import { Level } from 'level';
import type { Payment } from './payment.js';

/**
 * The payment index in LevelDB (`<dashboard home>/payments`). Keys:
 * `height` → last indexed height; `deal/<id>` → owner; `owner/<address>/<height, 12 digits>/<n, 4 digits>` → Payment.
 * A block's rows and its height are written in one batch, so a restart resumes after the last whole block.
 */
export class PaymentStore {
  private constructor(private readonly db: Level<string, string>) {}

  static async open(dir: string): Promise<PaymentStore> {
    const db = new Level<string, string>(dir, { valueEncoding: 'utf8' });
    await db.open();
    return new PaymentStore(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** 0 before the first block. */
  async indexedHeight(): Promise<number> {
    return Number((await this.db.get('height')) ?? 0);
  }

  async ownerOf(dealId: number): Promise<string | undefined> {
    return this.db.get(`deal/${dealId}`);
  }

  /** Records one block: its payments (each with its deal owner resolved), the owners it taught, its height. */
  async putBlock(height: number, payments: readonly (Payment & { owner: string })[], owners: ReadonlyMap<number, string>): Promise<void> {
    const batch = this.db.batch();
    for (const [deal, owner] of owners) batch.put(`deal/${deal}`, owner);
    payments.forEach((p, i) => batch.put(`owner/${p.owner}/${String(height).padStart(12, '0')}/${String(i).padStart(4, '0')}`, JSON.stringify(p)));
    batch.put('height', String(height));
    await batch.write();
  }

  /** An owner's payments, newest first, at most `limit`. */
  async ofOwner(owner: string, limit: number): Promise<Payment[]> {
    const prefix = `owner/${owner}/`;
    const out: Payment[] = [];
    for await (const value of this.db.values({ gt: prefix, lt: `${prefix}\xff`, reverse: true, limit })) out.push(JSON.parse(value) as Payment);
    return out;
  }
}
