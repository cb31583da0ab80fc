import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRange } from './range.js';

test('single ranges as the gateway conformance suite sends them', () => {
  assert.deepEqual(parseRange(undefined, 31), { kind: 'whole' });
  assert.deepEqual(parseRange('bytes=6-16', 31), { kind: 'partial', start: 6, end: 16 });
  assert.deepEqual(parseRange('bytes=6-', 31), { kind: 'partial', start: 6, end: 30 });
  assert.deepEqual(parseRange('bytes=-3', 31), { kind: 'partial', start: 28, end: 30 });
  assert.deepEqual(parseRange('bytes=-100', 31), { kind: 'partial', start: 0, end: 30 });
  assert.deepEqual(parseRange('bytes=20-1000', 31), { kind: 'partial', start: 20, end: 30 });
});

test('unsatisfiable and ignored ranges', () => {
  assert.deepEqual(parseRange('bytes=31-', 31), { kind: 'unsatisfiable' });
  assert.deepEqual(parseRange('bytes=-0', 31), { kind: 'unsatisfiable' });
  assert.deepEqual(parseRange('bytes=0-', 0), { kind: 'unsatisfiable' });
  assert.deepEqual(parseRange('bytes=5-2', 31), { kind: 'whole' });
  assert.deepEqual(parseRange('bytes=0-1,4-5', 31), { kind: 'whole' });
  assert.deepEqual(parseRange('items=0-1', 31), { kind: 'whole' });
  assert.deepEqual(parseRange('bytes=-', 31), { kind: 'whole' });
});
