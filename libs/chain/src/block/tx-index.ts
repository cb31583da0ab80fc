import protobuf from 'protobufjs/minimal.js';
import { fromHex } from '@trucom/crypto';
import { PREFIX, dbKey, heightKey, prefixEnd, type BlockEffects, type ChainDB } from '../db.js';
import { blockPartKey } from './block-store.js';
import { TxRecord, type ExecTxResult } from './types.js';
import { matches, parseQuery, type Condition } from './query.js';

const { Writer } = protobuf;
const SEP = '\u0000';
const INDEX_BYTES = 4;
const HEIGHT_DIGITS = heightKey(0).length;

/** Where a tx is: its block's height and its index in the block (the key of its record). */
interface TxPosition {
  readonly height: number;
  readonly index: number;
}

/** One index row: the block's txs (by index) that emitted one attribute value. */
interface Row {
  readonly indexes: number[];
}

/**
 * The tx index (CometBFT's kv indexer): each committed tx's record under its position (blocks
 * database: height, then index), a pointer to it under its hash, and every indexed event attribute
 * as `type.key = value`, plus `tx.height`, searchable with the CometBFT query language.
 *
 * Attribute rows are per block: one row `type.key, value, height` whose value lists the indexes of
 * the block's txs that emitted it, in block order (a value shared by many txs — an action, a module,
 * the fee collector — is one row per block, not one per tx).
 */
export class TxIndex {
  constructor(private readonly db: ChainDB) {}

  index(effects: BlockEffects, height: number, txs: readonly Uint8Array[], hashes: readonly Uint8Array[], results: readonly ExecTxResult[]): void {
    // Rows by type, key and value, nested: the attribute strings are looked up as they are (a
    // `type.key=value` string built for each of a block's ~12,000 attributes cost more than the rows).
    const rows = new Map<string, Map<string, Map<string, Row>>>();
    const add = (type: string, key: string, value: string, i: number) => {
      let byKey = rows.get(type);
      if (!byKey) rows.set(type, (byKey = new Map()));
      let byValue = byKey.get(key);
      if (!byValue) byKey.set(key, (byValue = new Map()));
      const row = byValue.get(value);
      if (!row) byValue.set(value, { indexes: [i] });
      else if (row.indexes[row.indexes.length - 1] !== i) row.indexes.push(i);
    };
    const h = heightKey(height);
    // The block's records are encoded back to back into one writer and stored as slices of its
    // buffer: one allocation per block instead of one per tx (encoding takes about 40% less time).
    const writer = Writer.create();
    const ends: number[] = [];
    for (let i = 0; i < txs.length; i++) {
      TxRecord.encode({ height, index: i, tx: txs[i], result: results[i] }, writer);
      ends.push(writer.len);
    }
    const records = writer.finish();
    for (let i = 0; i < txs.length; i++) {
      effects.blocks.put(blockPartKey(height, 'tx', i), records.subarray(i === 0 ? 0 : ends[i - 1], ends[i]));
      effects.main.put(dbKey(PREFIX.txPosition, hashes[i]!), encodePosition({ height, index: i }));
      add('tx', 'height', h, i);
      for (const e of results[i]!.events ?? []) {
        for (const a of e.attributes ?? []) {
          if (a.index && a.key) add(e.type ?? '', a.key, a.value ?? '', i);
        }
      }
    }
    for (const [type, byKey] of rows) {
      for (const [key, byValue] of byKey) {
        for (const [value, row] of byValue) effects.main.put(Buffer.from(`${PREFIX.txEvent}${type}.${key}${SEP}${value}${SEP}${h}`), encodeIndexes(row.indexes));
      }
    }
  }

  async get(hash: Uint8Array): Promise<TxRecord | undefined> {
    await this.db.settled();
    const position = await this.db.get(dbKey(PREFIX.txPosition, hash));
    return position ? this.record(decodePosition(position)) : undefined;
  }

  private async record({ height, index }: TxPosition): Promise<TxRecord | undefined> {
    const v = await this.db.blocks.get(blockPartKey(height, 'tx', index));
    return v ? TxRecord.decode(v) : undefined;
  }

  /** All txs matching `query`, ordered by (height, index); `total` counts every match. */
  async search(query: string, page: { page: number; perPage: number; desc?: boolean }): Promise<{ records: TxRecord[]; total: number }> {
    const conditions = parseQuery(query);
    await this.db.settled();
    const candidates = await this.candidates(conditions);
    const records: TxRecord[] = [];
    for (const position of candidates) {
      const record = await this.record(position);
      if (record && conditions.every((c) => satisfies(record, c))) records.push(record);
    }
    records.sort((a, b) => (Number(a.height) - Number(b.height) || a.index - b.index) * (page.desc ? -1 : 1));
    const start = (page.page - 1) * page.perPage;
    return { records: records.slice(start, start + page.perPage), total: records.length };
  }

  private async candidates(conditions: Condition[]): Promise<TxPosition[]> {
    const byHash = conditions.find((c) => c.tag === 'tx.hash' && c.op === '=');
    if (byHash) {
      let hash: Uint8Array;
      try {
        hash = fromHex(String(byHash.value));
      } catch {
        return [];
      }
      const position = await this.db.get(dbKey(PREFIX.txPosition, hash));
      return position ? [decodePosition(position)] : [];
    }
    const driver = conditions.find((c) => c.op === '=' && c.tag !== 'tx.height') ?? conditions.find((c) => c.tag === 'tx.height') ?? conditions[0]!;
    const value = driver.tag === 'tx.height' && driver.value !== undefined ? heightKey(Number(driver.value)) : String(driver.value ?? '');
    const prefix = driver.op === '=' ? dbKey(PREFIX.txEvent, driver.tag, SEP, value, SEP) : dbKey(PREFIX.txEvent, driver.tag, SEP);
    const seen = new Set<string>();
    const positions: TxPosition[] = [];
    for await (const [key, row] of this.db.iterator({ gte: prefix, lt: prefixEnd(prefix) })) {
      const height = Number(key.subarray(key.length - HEIGHT_DIGITS).toString());
      const indexes = Buffer.from(row.buffer, row.byteOffset, row.byteLength);
      for (let at = 0; at + INDEX_BYTES <= indexes.length; at += INDEX_BYTES) {
        const index = indexes.readUInt32BE(at);
        const id = `${height}/${index}`;
        if (!seen.has(id)) {
          seen.add(id);
          positions.push({ height, index });
        }
      }
    }
    return positions;
  }
}

function encodeIndexes(indexes: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(indexes.length * INDEX_BYTES);
  indexes.forEach((index, i) => out.writeUInt32BE(index, i * INDEX_BYTES));
  return out;
}

function encodePosition({ height, index }: TxPosition): Buffer {
  const out = Buffer.allocUnsafe(6 + INDEX_BYTES);
  out.writeUIntBE(height, 0, 6);
  out.writeUInt32BE(index, 6);
  return out;
}

function decodePosition(bytes: Uint8Array): TxPosition {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { height: buf.readUIntBE(0, 6), index: buf.readUInt32BE(6) };
}

function satisfies(record: TxRecord, cond: Condition): boolean {
  if (cond.tag === 'tx.height') return matches(cond, String(record.height));
  if (cond.tag === 'tx.hash') return true; // already selected by hash
  return eventsSatisfy(record.result?.events ?? [], cond);
}

/** Whether some indexed attribute `type.key` of these events satisfies the condition. */
export function eventsSatisfy(events: readonly { type?: string | null; attributes?: { key?: string | null; value?: string | null; index?: boolean | null }[] | null }[], cond: Condition): boolean {
  // Compare the composite key as indexed: splitting the tag at a dot would miss keys that contain dots.
  return events.some((e) => (e.attributes ?? []).some((a) => a.index && `${e.type}.${a.key}` === cond.tag && matches(cond, a.value ?? '')));
}
