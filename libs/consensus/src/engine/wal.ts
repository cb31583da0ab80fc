import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * The consensus write-ahead log of the current height: every input the state machine was given
 * (messages received, timeouts fired, the block it proposed) and every message this node was about
 * to sign, in order. After a crash, replaying it rebuilds the machine's locks and valid values, and
 * re-signing the logged intents yields the same signatures instead of conflicting ones.
 *
 * One record per line (JSON with base64 bytes). Received messages are written without fsync; own
 * intents are fsynced, which also makes everything before them durable — so whatever made the node
 * lock or vote is on disk before the vote leaves. A torn last line is ignored.
 */
export class ConsensusWal<R extends { height: number }> {
  private constructor(
    private readonly fd: number,
    private readonly records: R[],
  ) {}

  static open<R extends { height: number }>(path: string): ConsensusWal<R> {
    const records: R[] = [];
    let intact = 0; // bytes of whole, parseable records
    if (existsSync(path)) {
      const text = readFileSync(path);
      for (let at = 0; at < text.length; ) {
        const end = text.indexOf(0x0a, at);
        if (end < 0) break; // torn write at the end: everything before it is intact
        try {
          records.push(JSON.parse(text.subarray(at, end).toString('utf8'), reviver) as R);
        } catch {
          break;
        }
        at = intact = end + 1;
      }
    }
    const fd = openSync(path, 'a');
    // Cut a torn tail off, so records appended from now on start on a line of their own.
    ftruncateSync(fd, intact);
    return new ConsensusWal(fd, records);
  }

  /** The records of `height` found at open (what to replay). */
  recordsFor(height: number): R[] {
    return this.records.filter((r) => r.height === height);
  }

  append(record: R, { sync = false } = {}): void {
    writeSync(this.fd, JSON.stringify(toJson(record)) + '\n');
    if (sync) fsyncSync(this.fd);
  }

  /** A new height starts: the previous one is committed in the block store and no longer needed. */
  reset(): void {
    ftruncateSync(this.fd, 0);
    fsyncSync(this.fd);
    this.records.length = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Bytes are stored as `{"$b": base64}` so records survive JSON. Converted before stringifying:
 * JSON.stringify would first turn every Buffer into an array of numbers through its toJSON().
 */
function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $b: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    const custom = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof custom === 'function') return toJson(custom.call(value));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return value;
}

function reviver(_key: string, v: unknown): unknown {
  const o = v as { $b?: unknown } | null;
  return o && typeof o === 'object' && typeof o.$b === 'string' ? new Uint8Array(Buffer.from(o.$b, 'base64')) : v;
}
