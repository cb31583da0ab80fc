import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trucom } from '@trucom/proto';
import { ConsensusWal } from './wal.js';

type Rec = { height: number; kind: string; vote?: Uint8Array; timestamp?: { seconds: number; nanos: number } };

test('WAL records come back byte for byte after a restart, a torn last line is ignored, reset empties it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trucom-wal-'));
  try {
    const path = join(dir, 'cs.wal');
    const vote = trucom.types.v1.Vote.encode({ type: 1, height: 7, round: 2, validatorAddress: new Uint8Array(20).fill(9), signature: new Uint8Array(64).fill(3) }).finish();
    const wal = ConsensusWal.open<Rec>(path);
    wal.append({ height: 7, kind: 'vote', vote });
    wal.append({ height: 7, kind: 'intent', timestamp: { seconds: 1_700_000_000, nanos: 5 } }, { sync: true });
    wal.append({ height: 6, kind: 'timeout' });
    wal.close();
    appendFileSync(path, '{"height":7,"kind":"vo'); // killed in the middle of a write

    const first = ConsensusWal.open<Rec>(path);
    first.append({ height: 7, kind: 'timeout' }); // written after the torn line was cut off
    first.close();
    const again = ConsensusWal.open<Rec>(path);
    assert.equal(again.recordsFor(7).length, 3, 'the record appended after a torn write is read back');
    again.close();
    const reopened = ConsensusWal.open<Rec>(path);
    const records = reopened.recordsFor(7).slice(0, 2);
    assert.equal(records.length, 2);
    assert.deepEqual(Buffer.from(records[0]!.vote!), Buffer.from(vote));
    assert.equal(trucom.types.v1.Vote.decode(records[0]!.vote!).round, 2);
    assert.deepEqual(records[1]!.timestamp, { seconds: 1_700_000_000, nanos: 5 });
    reopened.reset();
    reopened.close();
    assert.deepEqual(ConsensusWal.open<Rec>(path).recordsFor(7), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
