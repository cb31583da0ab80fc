import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConsensusDriver } from './driver.js';
import type { Vote } from './types.js';

const validators = ['v0', 'v1', 'v2', 'v3'].map((address) => ({ address, power: 1n }));
const driver = () => new ConsensusDriver({ self: 'v0', validatorsAt: () => validators, proposerAt: () => () => 'v1', futureHeights: 2 });
const precommit = (height: number, validator: string): Vote => ({ type: 'precommit', height, round: 0, value: 'X', validator });

test('messages for the next heights wait, and count once that height starts', () => {
  const d = driver();
  d.startHeight(1);
  for (const v of ['v1', 'v2', 'v3']) assert.deepEqual(d.apply({ kind: 'vote', height: 2, vote: precommit(2, v) }), []);
  d.apply({ kind: 'proposal', height: 2, valid: true, proposal: { height: 2, round: 0, value: 'X', validRound: -1, proposer: 'v1' } });
  const out = d.startHeight(2);
  assert.ok(out.some((o) => o.kind === 'decide' && o.height === 2 && o.value === 'X'));
});

test('messages for past heights and for heights too far ahead are dropped', () => {
  const d = driver();
  d.startHeight(5);
  assert.deepEqual(d.apply({ kind: 'vote', height: 4, vote: precommit(4, 'v1') }), []);
  for (const v of ['v1', 'v2', 'v3']) d.apply({ kind: 'vote', height: 9, vote: precommit(9, v) });
  d.startHeight(6);
  d.startHeight(7);
  d.startHeight(8);
  const out = d.startHeight(9);
  assert.ok(!out.some((o) => o.kind === 'decide'), 'height 9 was 4 ahead of 5: not buffered');
});

test('heights only move forward, and outputs carry their height', () => {
  const d = driver();
  const out = d.startHeight(3);
  assert.ok(out.every((o) => o.height === 3));
  assert.throws(() => d.startHeight(3));
});
