/**
 * The consensus core in a deterministic simulated network (seeded randomness): random delays,
 * loss, duplication and reordering before global stabilisation, a partition that heals, a crashed
 * validator, and a Byzantine validator (f = 1 of 4) that equivocates and proposes different values
 * to different peers. For every seed: agreement and validity always; every height decides once
 * the network stabilises. Each validator runs a ConsensusDriver (heights, buffering of messages
 * for later heights) around the machine, as the node will.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConsensusDriver, type DriverInput, type DriverOutput } from './driver.js';
import type { Proposal, ValueId, Vote } from './types.js';

const N = 4;
const HEIGHTS = 3;
const GST = 5_000; // before: loss, long delays, partition; after: every message arrives within 50 ms
const DEADLINE = 120_000;
const validators = Array.from({ length: N }, (_, i) => ({ address: `v${i}`, power: 1n }));
const proposerOf = (height: number, round: number) => `v${(height + round) % N}`;

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

interface Scenario {
  readonly loss: number;
  readonly duplicate: number;
  readonly partition: boolean;
  readonly crashed?: number;
  readonly byzantine?: number;
}

type Message =
  | { kind: 'proposal'; proposal: Proposal }
  | { kind: 'vote'; vote: Vote }
  | { kind: 'commit'; height: number; round: number; value: ValueId; votes: readonly Vote[] };
type EventBody = { kind: 'msg'; msg: Message } | { kind: 'timeout'; height: number; step: 'propose' | 'prevote' | 'precommit'; round: number };
type Event = { at: number; seq: number; to: number } & EventBody;

function simulate(seed: number, sc: Scenario) {
  const random = rng(seed);
  const queue: Event[] = [];
  let seq = 0;
  const push = (e: { at: number; to: number } & EventBody) => queue.push({ ...e, seq: seq++ });
  const decisions: Map<number, ValueId>[] = Array.from({ length: N }, () => new Map());
  const proposed = new Set<ValueId>();
  const drivers = Array.from({ length: N }, (_, i) => new ConsensusDriver({ self: `v${i}`, validatorsAt: () => validators, proposerAt: (h) => (r) => proposerOf(h, r) }));
  let now = 0;

  const correct = (i: number) => i !== sc.crashed && i !== sc.byzantine;

  /**
   * Partial synchrony with gossip: before GST a message may be lost on one path, duplicated, or held
   * back by a partition, but gossip (peers re-sending what they have) delivers it eventually; after
   * GST every message arrives within 50 ms.
   */
  function send(from: number, to: number, msg: Message) {
    if (to === sc.crashed) return;
    const early = now < GST;
    const held = early && (random() < sc.loss || (sc.partition && (from < 2) !== (to < 2)));
    const copies = early && random() < sc.duplicate ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const at = held ? GST + 1 + Math.floor(random() * 50) : now + 1 + Math.floor(random() * (early ? 800 : 50));
      push({ at, to, kind: 'msg', msg });
    }
  }

  function broadcast(from: number, msg: Message) {
    for (let to = 0; to < N; to++) if (to !== from) send(from, to, msg);
  }

  /** A Byzantine validator sends conflicting versions of everything to the two halves of the network. */
  function twist(msg: Message, half: number): Message {
    if (msg.kind === 'commit') return msg;
    if (msg.kind === 'proposal') return { kind: 'proposal', proposal: { ...msg.proposal, value: `${msg.proposal.value}-evil${half}` } };
    return { kind: 'vote', vote: { ...msg.vote, value: half === 0 ? msg.vote.value : `evil-${msg.vote.round}` } };
  }

  function perform(i: number, outputs: DriverOutput[]) {
    const d = drivers[i]!;
    for (const o of outputs) {
      switch (o.kind) {
        case 'getValue': {
          const value = `b${o.height}-r${o.round}-v${i}`;
          proposed.add(value);
          perform(i, d.apply({ kind: 'proposeValue', height: o.height, round: o.round, value }));
          break;
        }
        case 'propose':
        case 'vote': {
          const msg: Message = o.kind === 'propose' ? { kind: 'proposal', proposal: o.proposal } : { kind: 'vote', vote: o.vote };
          if (i === sc.byzantine) {
            for (let to = 0; to < N; to++) if (to !== i) send(i, to, twist(msg, to % 2));
          } else broadcast(i, msg);
          break;
        }
        case 'scheduleTimeout':
          push({ at: now + o.delayMs, to: i, kind: 'timeout', height: o.height, step: o.step, round: o.round });
          break;
        case 'decide':
          decisions[i]!.set(o.height, o.value);
          // what block sync gives a lagging peer: the decided value with its precommits
          if (correct(i)) broadcast(i, { kind: 'commit', height: o.height, round: o.round, value: o.value, votes: o.commit });
          if (o.height < HEIGHTS) perform(i, d.startHeight(o.height + 1));
          break;
        case 'evidence':
          break;
      }
    }
  }

  function deliver(i: number, msg: Message) {
    const input: DriverInput =
      msg.kind === 'proposal'
        ? { kind: 'proposal', height: msg.proposal.height, proposal: msg.proposal, valid: proposed.has(msg.proposal.value) }
        : msg.kind === 'vote'
          ? { kind: 'vote', height: msg.vote.height, vote: msg.vote }
          : { kind: 'commit', height: msg.height, round: msg.round, value: msg.value, votes: proposed.has(msg.value) ? msg.votes : [] };
    perform(i, drivers[i]!.apply(input));
  }

  for (let i = 0; i < N; i++) if (i !== sc.crashed) perform(i, drivers[i]!.startHeight(1));

  while (queue.length > 0 && now < DEADLINE) {
    let best = 0;
    for (let k = 1; k < queue.length; k++) if (queue[k]!.at < queue[best]!.at || (queue[k]!.at === queue[best]!.at && queue[k]!.seq < queue[best]!.seq)) best = k;
    const e = queue.splice(best, 1)[0]!;
    now = e.at;
    if (e.kind === 'msg') deliver(e.to, e.msg);
    else perform(e.to, drivers[e.to]!.apply({ kind: 'timeout', height: e.height, step: e.step, round: e.round }));
    if ([0, 1, 2, 3].filter(correct).every((i) => decisions[i]!.size === HEIGHTS)) break;
  }
  return { decisions, proposed, correct };
}

function check(seed: number, sc: Scenario) {
  const { decisions, proposed, correct } = simulate(seed, sc);
  const honest = [0, 1, 2, 3].filter(correct);
  for (let h = 1; h <= HEIGHTS; h++) {
    const values = honest.map((i) => decisions[i]!.get(h));
    assert.ok(values.every((v) => v !== undefined), `seed ${seed}: height ${h} did not terminate (${JSON.stringify(values)})`);
    assert.ok(values.every((v) => v === values[0]), `seed ${seed}: disagreement at height ${h}: ${JSON.stringify(values)}`);
    assert.ok(proposed.has(values[0]!), `seed ${seed}: decided ${values[0]}, which no correct process proposed`);
  }
}

const SEEDS = 1000;
const scenarios: Record<string, Scenario> = {
  'delays, loss, duplication and reordering': { loss: 0.3, duplicate: 0.2, partition: false },
  'a partition that heals': { loss: 0.1, duplicate: 0.1, partition: true },
  'a crashed validator': { loss: 0.2, duplicate: 0.1, partition: false, crashed: 2 },
  'a Byzantine validator that equivocates': { loss: 0.2, duplicate: 0.1, partition: false, byzantine: 1 },
  'a Byzantine validator during a partition': { loss: 0.1, duplicate: 0.1, partition: true, byzantine: 3 },
};

describe('Tendermint in a simulated network (4 validators, f = 1)', () => {
  for (const [name, sc] of Object.entries(scenarios)) {
    test(`${name}: agreement, validity and termination over ${SEEDS} seeds`, () => {
      for (let seed = 1; seed <= SEEDS; seed++) check(seed, sc);
    });
  }
});
