import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProposerPriority, proposerSchedule } from './proposer.js';

test('equal powers rotate round robin', () => {
  const pp = new ProposerPriority(['a', 'b', 'c'].map((address) => ({ address, power: 10n })));
  assert.deepEqual(Array.from({ length: 6 }, () => pp.next()), ['a', 'b', 'c', 'a', 'b', 'c']);
});

test('proposals are proportional to power (CometBFT weighted round robin)', () => {
  const pp = new ProposerPriority([
    { address: 'a', power: 1n },
    { address: 'b', power: 2n },
    { address: 'c', power: 7n },
  ]);
  const counts = new Map<string, number>();
  for (let i = 0; i < 1000; i++) {
    const p = pp.next();
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  assert.deepEqual([counts.get('a'), counts.get('b'), counts.get('c')], [100, 200, 700]);
});

test('the schedule is deterministic and independent of input order', () => {
  const vs = [
    { address: 'x', power: 3n },
    { address: 'y', power: 5n },
  ];
  const one = proposerSchedule(vs);
  const two = proposerSchedule([...vs].reverse());
  for (let r = 0; r < 20; r++) assert.equal(one(r), two(r));
});
