import type { Timestamp } from '@trucom/chain';
import type { Timestamp as ProtoTimestamp } from 'cosmjs-types/google/protobuf/timestamp';

export const ZERO_TIME: Timestamp = { seconds: 0, nanos: 0 };

export const addSeconds = (t: Timestamp, seconds: number): Timestamp => ({ seconds: t.seconds + seconds, nanos: t.nanos });

export function compareTime(a: Timestamp, b: Timestamp): number {
  return a.seconds !== b.seconds ? (a.seconds < b.seconds ? -1 : 1) : a.nanos - b.nanos;
}

export const toProtoTime = (t: Timestamp): ProtoTimestamp => ({ seconds: BigInt(t.seconds), nanos: t.nanos });
export const fromProtoTime = (t: ProtoTimestamp | undefined): Timestamp => (t ? { seconds: Number(t.seconds), nanos: t.nanos } : ZERO_TIME);

/** RFC 3339 as Go prints time.Time ("2023-11-14T22:13:20Z", nanoseconds without trailing zeros). */
export function formatTime(t: Timestamp): string {
  const base = new Date(t.seconds * 1000).toISOString().slice(0, 19);
  const frac = t.nanos ? '.' + String(t.nanos).padStart(9, '0').replace(/0+$/, '') : '';
  return `${base}${frac}Z`;
}
