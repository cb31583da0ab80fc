/** Step tables for the Tendermint rules, one scenario per rule of Algorithm 1 (paper line numbers). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TendermintMachine } from './machine.js';
import type { Output } from './io.js';
import type { ValueId, Vote } from './types.js';

const validators = ['v0', 'v1', 'v2', 'v3'].map((address) => ({ address, power: 1n }));
/** v0 is us; round r is proposed by v(r+1), so we never propose in these tables. */
const machine = () => new TendermintMachine({ height: 1, self: 'v0', validators, proposer: (r) => `v${(r % 3) + 1}` });
const vote = (type: Vote['type'], round: number, value: ValueId | null, validator: string): Vote => ({ type, height: 1, round, value, validator });
const votesOut = (out: Output[]) => out.filter((o) => o.kind === 'vote').map((o) => (o.kind === 'vote' ? `${o.vote.type}:${o.vote.value ?? 'nil'}` : ''));
const proposal = (round: number, value: ValueId, validRound = -1) => ({ kind: 'proposal' as const, valid: true, proposal: { height: 1, round, value, validRound, proposer: `v${(round % 3) + 1}` } });

/** Drives a fresh machine to a lock on A in round 0, then into round 1. */
function lockedOnAInRound0(): TendermintMachine {
  const m = machine();
  m.apply({ kind: 'start' });
  assert.deepEqual(votesOut(m.apply(proposal(0, 'A'))), ['prevote:A']); // L22
  m.apply({ kind: 'vote', vote: vote('prevote', 0, 'A', 'v1') });
  assert.deepEqual(votesOut(m.apply({ kind: 'vote', vote: vote('prevote', 0, 'A', 'v2') })), ['precommit:A']); // L36: 2f+1 prevotes → lock
  assert.equal(m.lockedValue, 'A');
  assert.equal(m.lockedRound, 0);
  for (const v of ['v1', 'v2']) m.apply({ kind: 'vote', vote: vote('precommit', 0, null, v) });
  m.apply({ kind: 'timeout', step: 'precommit', round: 0 }); // L65
  assert.equal(m.round, 1);
  return m;
}

describe('Tendermint rules', () => {
  test('L21/L57: a follower schedules the propose timeout and prevotes nil when it fires', () => {
    const m = machine();
    const out = m.apply({ kind: 'start' });
    assert.deepEqual(out, [{ kind: 'scheduleTimeout', step: 'propose', round: 0, delayMs: 3000 }]);
    assert.deepEqual(votesOut(m.apply({ kind: 'timeout', step: 'propose', round: 0 })), ['prevote:nil']);
  });

  test('L22: an invalid proposal gets a nil prevote', () => {
    const m = machine();
    m.apply({ kind: 'start' });
    assert.deepEqual(votesOut(m.apply({ ...proposal(0, 'A'), valid: false })), ['prevote:nil']);
  });

  test('L22: a process locked on A prevotes nil for a new value B, and A for A', () => {
    const m = lockedOnAInRound0();
    assert.deepEqual(votesOut(m.apply(proposal(1, 'B'))), ['prevote:nil']);
    const n = lockedOnAInRound0();
    assert.deepEqual(votesOut(n.apply(proposal(1, 'A'))), ['prevote:A']);
  });

  test('L28: a polka for B in a round after the lock unlocks it', () => {
    const m = lockedOnAInRound0();
    for (const v of ['v1', 'v2', 'v3']) m.apply({ kind: 'vote', vote: vote('prevote', 1, 'B', v) });
    m.apply({ kind: 'timeout', step: 'propose', round: 1 });
    for (const v of ['v1', 'v2']) m.apply({ kind: 'vote', vote: vote('precommit', 1, null, v) });
    m.apply({ kind: 'timeout', step: 'precommit', round: 1 });
    assert.equal(m.round, 2);
    assert.deepEqual(votesOut(m.apply(proposal(2, 'B', 1))), ['prevote:B']);
  });

  test('L28: a re-proposal whose valid round is before the lock gets nil', () => {
    const m = lockedOnAInRound0();
    // round 1 proposes B claiming a polka in round 0 that does not exist for B
    m.apply(proposal(1, 'B', 0));
    assert.equal(m.step, 'propose', 'no prevote without 2f+1 prevotes for B in the valid round');
  });

  test('L44: 2f+1 nil prevotes give a nil precommit; L47 + L65 move to the next round', () => {
    const m = machine();
    m.apply({ kind: 'start' });
    m.apply({ kind: 'timeout', step: 'propose', round: 0 });
    m.apply({ kind: 'vote', vote: vote('prevote', 0, null, 'v1') });
    assert.deepEqual(votesOut(m.apply({ kind: 'vote', vote: vote('prevote', 0, null, 'v2') })), ['precommit:nil']);
    m.apply({ kind: 'vote', vote: vote('precommit', 0, null, 'v1') });
    const out = m.apply({ kind: 'vote', vote: vote('precommit', 0, null, 'v2') });
    assert.ok(out.some((o) => o.kind === 'scheduleTimeout' && o.step === 'precommit' && o.round === 0));
    m.apply({ kind: 'timeout', step: 'precommit', round: 0 });
    assert.equal(m.round, 1);
  });

  test('L49: a proposal with 2f+1 precommits decides, with the commit', () => {
    const m = machine();
    m.apply({ kind: 'start' });
    m.apply(proposal(0, 'A'));
    for (const v of ['v1', 'v2']) m.apply({ kind: 'vote', vote: vote('precommit', 0, 'A', v) });
    const out = m.apply({ kind: 'vote', vote: vote('precommit', 0, 'A', 'v3') });
    const decide = out.find((o) => o.kind === 'decide');
    assert.ok(decide && decide.kind === 'decide');
    assert.equal(decide.value, 'A');
    assert.equal(decide.commit.length, 3);
    assert.equal(m.decision, 'A');
  });

  test('L55: f+1 validators in a later round pull us into it', () => {
    const m = machine();
    m.apply({ kind: 'start' });
    m.apply({ kind: 'vote', vote: vote('prevote', 3, null, 'v1') });
    assert.equal(m.round, 0);
    m.apply({ kind: 'vote', vote: vote('prevote', 3, null, 'v2') });
    assert.equal(m.round, 3);
  });

  test('equivocation: the second conflicting vote is evidence and is not counted', () => {
    const m = machine();
    m.apply({ kind: 'start' });
    m.apply({ kind: 'vote', vote: vote('prevote', 0, 'A', 'v1') });
    const out = m.apply({ kind: 'vote', vote: vote('prevote', 0, 'B', 'v1') });
    assert.ok(out.some((o) => o.kind === 'evidence'));
  });

  test('catch-up: a commit with 2f+1 precommits decides; fewer, or from non-validators, does not', () => {
    const m = machine();
    m.apply({ kind: 'start' });
    assert.equal(m.apply({ kind: 'commit', round: 2, value: 'A', votes: [vote('precommit', 2, 'A', 'v1'), vote('precommit', 2, 'A', 'x9'), vote('precommit', 2, 'A', 'v1')] }).length, 0);
    const out = m.apply({ kind: 'commit', round: 2, value: 'A', votes: ['v1', 'v2', 'v3'].map((v) => vote('precommit', 2, 'A', v)) });
    assert.ok(out.some((o) => o.kind === 'decide'));
  });
});

describe('safety under a vote-splitting Byzantine validator (scripted delivery)', () => {
  test('v0 decides A in round 0; the lock v1 holds on A keeps B from being decided in round 1', () => {
    const proposers = ['v1', 'v2'];
    const make = (self: string) => new TendermintMachine({ height: 1, self, validators, proposer: (r) => proposers[r] ?? 'v0' });
    const [v0, v1, v2] = [make('v0'), make('v1'), make('v2')];
    const deliver = (m: TendermintMachine, ...votes: Vote[]) => votes.flatMap((v) => m.apply({ kind: 'vote', vote: v }));
    const byz = (type: Vote['type'], round: number, value: ValueId | null) => vote(type, round, value, 'v3');
    for (const m of [v0, v1, v2]) m.apply({ kind: 'start' });

    // Round 0: v1 proposes A to everyone.
    const a = v1.apply({ kind: 'proposeValue', round: 0, value: 'A' }).find((o) => o.kind === 'propose')!;
    assert.ok(a.kind === 'propose');
    for (const m of [v0, v2]) m.apply({ kind: 'proposal', proposal: a.proposal, valid: true });
    // v0 and v1 see a polka for A (the Byzantine prevotes A to them) and lock on A.
    deliver(v0, vote('prevote', 0, 'A', 'v1'), byz('prevote', 0, 'A'));
    deliver(v1, vote('prevote', 0, 'A', 'v0'), byz('prevote', 0, 'A'));
    assert.equal(v0.lockedValue, 'A');
    assert.equal(v1.lockedValue, 'A');
    // v0 collects three precommits for A and decides.
    deliver(v0, vote('precommit', 0, 'A', 'v1'), byz('precommit', 0, 'A'));
    assert.equal(v0.decision, 'A');
    // v2 sees no polka (the Byzantine prevotes nil to it) and precommits nil after its timeout.
    deliver(v2, vote('prevote', 0, 'A', 'v1'), byz('prevote', 0, null));
    v2.apply({ kind: 'timeout', step: 'prevote', round: 0 });
    // v1 and v2 see no decision (the Byzantine precommits nil to them) and move to round 1.
    deliver(v1, vote('precommit', 0, null, 'v2'), byz('precommit', 0, null));
    deliver(v2, vote('precommit', 0, 'A', 'v1'), byz('precommit', 0, null));
    for (const m of [v1, v2]) m.apply({ kind: 'timeout', step: 'precommit', round: 0 });
    assert.equal(v1.round, 1);
    assert.equal(v2.round, 1);

    // Round 1: v2 proposes B; v1 is locked on A, so B can gather at most v2 + the Byzantine.
    const b = v2.apply({ kind: 'proposeValue', round: 1, value: 'B' }).find((o) => o.kind === 'propose')!;
    assert.ok(b.kind === 'propose');
    const v1Votes = votesOut(v1.apply({ kind: 'proposal', proposal: b.proposal, valid: true }));
    assert.deepEqual(v1Votes, ['prevote:nil'], 'a locked process does not prevote another value');
    deliver(v2, vote('prevote', 1, null, 'v1'), byz('prevote', 1, 'B'));
    deliver(v1, vote('prevote', 1, 'B', 'v2'), byz('prevote', 1, 'B'));
    assert.equal(v1.decision, null);
    assert.equal(v2.decision, null);
    assert.notEqual(v2.lockedValue, 'B', 'no polka for B without v1');
  });
});
