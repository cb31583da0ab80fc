import { VoteKeeper } from './vote-keeper.js';
import { DEFAULT_TIMEOUTS, type Input, type Output, type TimeoutStep, type Timeouts } from './io.js';
import type { Address, Proposal, Step, ValidatorPower, ValueId, Vote } from './types.js';

export interface MachineConfig {
  readonly height: number;
  readonly self: Address;
  readonly validators: readonly ValidatorPower[];
  /** The proposer of each round at this height (CometBFT's weighted round robin, see proposer.ts). */
  readonly proposer: (round: number) => Address;
  readonly timeouts?: Timeouts;
}

interface StoredProposal {
  readonly proposal: Proposal;
  readonly valid: boolean;
}

/**
 * One height of the Tendermint algorithm as a deterministic state machine: inputs in, outputs out,
 * no clock, no I/O. Comments `Lnn` point at the lines of Algorithm 1 in the paper.
 */
export class TendermintMachine {
  round = -1;
  step: Step = 'propose';
  lockedValue: ValueId | null = null;
  lockedRound = -1;
  validValue: ValueId | null = null;
  validRound = -1;
  decision: ValueId | null = null;

  private readonly votes: VoteKeeper;
  private readonly proposals = new Map<number, StoredProposal>();
  private readonly senders = new Map<number, Set<Address>>();
  /** "for the first time" guards of L34, L36 and L47, per round. */
  private readonly fired = new Set<string>();
  private readonly timeouts: Timeouts;

  constructor(private readonly config: MachineConfig) {
    this.votes = new VoteKeeper(config.validators);
    this.timeouts = config.timeouts ?? DEFAULT_TIMEOUTS;
  }

  get height(): number {
    return this.config.height;
  }

  apply(input: Input): Output[] {
    const out: Output[] = [];
    if (this.decision !== null) return out;
    switch (input.kind) {
      case 'start':
        if (this.round < 0) this.startRound(0, out);
        break;
      case 'proposeValue':
        if (input.round === this.round && this.step === 'propose' && this.isProposer(this.round) && !this.proposals.has(this.round)) {
          this.broadcastProposal(input.value, -1, out);
        }
        break;
      case 'proposal':
        this.onProposal(input.proposal, input.valid);
        break;
      case 'vote':
        this.onVote(input.vote, out);
        break;
      case 'timeout':
        this.onTimeout(input.step, input.round, out);
        break;
      case 'commit':
        this.onCommit(input.round, input.value, input.votes, out);
        break;
    }
    this.evaluate(out);
    return out;
  }

  private isProposer(round: number): boolean {
    return this.config.proposer(round) === this.config.self;
  }

  private noteSender(round: number, address: Address): void {
    let set = this.senders.get(round);
    if (!set) this.senders.set(round, (set = new Set()));
    set.add(address);
  }

  private onProposal(p: Proposal, valid: boolean): void {
    if (p.height !== this.height || p.round < 0 || p.proposer !== this.config.proposer(p.round)) return;
    if (p.validRound < -1 || p.validRound >= p.round) return;
    if (this.proposals.has(p.round)) return; // first proposal of a round wins; a second is equivocation by the proposer
    this.proposals.set(p.round, { proposal: p, valid });
    this.noteSender(p.round, p.proposer);
  }

  private onVote(v: Vote, out: Output[]): void {
    if (v.height !== this.height || v.round < 0) return;
    const r = this.votes.add(v);
    if (r.equivocation) out.push({ kind: 'evidence', equivocation: r.equivocation });
    if (r.added) this.noteSender(v.round, v.validator);
  }

  private onCommit(round: number, value: ValueId, votes: readonly Vote[], out: Output[]): void {
    const tally = new VoteKeeper(this.config.validators);
    for (const v of votes) if (v.type === 'precommit' && v.height === this.height && v.round === round && v.value === value) tally.add(v);
    if (!tally.hasQuorumFor(round, 'precommit', value)) return;
    this.decision = value;
    this.step = 'commit';
    out.push({ kind: 'decide', value, round, commit: tally.votes(round, 'precommit') });
  }

  // L11: StartRound
  private startRound(round: number, out: Output[]): void {
    this.round = round;
    this.step = 'propose';
    if (this.isProposer(round)) {
      // L14-L19: re-propose the valid value, or ask for a new one
      if (this.validValue !== null) this.broadcastProposal(this.validValue, this.validRound, out);
      else out.push({ kind: 'getValue', round });
    } else {
      out.push(this.schedule('propose', round)); // L21
    }
  }

  private broadcastProposal(value: ValueId, validRound: number, out: Output[]): void {
    const proposal: Proposal = { height: this.height, round: this.round, value, validRound, proposer: this.config.self };
    this.proposals.set(this.round, { proposal, valid: true });
    this.noteSender(this.round, this.config.self);
    out.push({ kind: 'propose', proposal }); // L19
  }

  private schedule(step: TimeoutStep, round: number): Output {
    const base = step === 'propose' ? this.timeouts.propose : step === 'prevote' ? this.timeouts.prevote : this.timeouts.precommit;
    return { kind: 'scheduleTimeout', step, round, delayMs: base + round * this.timeouts.delta };
  }

  private castVote(type: Vote['type'], value: ValueId | null, out: Output[]): void {
    const vote: Vote = { type, height: this.height, round: this.round, value, validator: this.config.self };
    this.votes.add(vote);
    this.noteSender(this.round, this.config.self);
    out.push({ kind: 'vote', vote });
  }

  // L57, L61, L65
  private onTimeout(step: TimeoutStep, round: number, out: Output[]): void {
    if (round !== this.round) return;
    if (step === 'propose' && this.step === 'propose') {
      this.castVote('prevote', null, out);
      this.step = 'prevote';
    } else if (step === 'prevote' && this.step === 'prevote') {
      this.castVote('precommit', null, out);
      this.step = 'precommit';
    } else if (step === 'precommit') {
      this.startRound(round + 1, out);
    }
  }

  private once(rule: string, round: number): boolean {
    const key = `${rule}/${round}`;
    if (this.fired.has(key)) return false;
    this.fired.add(key);
    return true;
  }

  /** Applies every "upon" rule whose condition holds, until none does. */
  private evaluate(out: Output[]): void {
    for (let progress = true; progress && this.decision === null; ) {
      progress = this.decide(out) || this.skipRound(out) || this.currentRound(out);
    }
  }

  // L49: a proposal with 2f+1 precommits for it in any round decides
  private decide(out: Output[]): boolean {
    for (const [round, { proposal, valid }] of this.proposals) {
      if (!valid || !this.votes.hasQuorumFor(round, 'precommit', proposal.value)) continue;
      this.decision = proposal.value;
      this.step = 'commit';
      const commit = this.votes.votes(round, 'precommit').filter((v) => v.value === proposal.value);
      out.push({ kind: 'decide', value: proposal.value, round, commit });
      return true;
    }
    return false;
  }

  // L55: f+1 validators are in a later round: move there
  private skipRound(out: Output[]): boolean {
    let target = -1;
    for (const [round, senders] of this.senders) if (round > this.round && round > target && this.votes.hasSkipThreshold(round, senders)) target = round;
    if (target < 0) return false;
    this.startRound(target, out);
    return true;
  }

  private currentRound(out: Output[]): boolean {
    const round = this.round;
    if (round < 0) return false;
    const stored = this.proposals.get(round);
    const p = stored?.proposal;

    if (this.step === 'propose' && stored && p) {
      if (p.validRound === -1) {
        // L22
        const ok = stored.valid && (this.lockedRound === -1 || this.lockedValue === p.value);
        this.castVote('prevote', ok ? p.value : null, out);
        this.step = 'prevote';
        return true;
      }
      if (this.votes.hasQuorumFor(p.validRound, 'prevote', p.value)) {
        // L28
        const ok = stored.valid && (this.lockedRound <= p.validRound || this.lockedValue === p.value);
        this.castVote('prevote', ok ? p.value : null, out);
        this.step = 'prevote';
        return true;
      }
    }
    // L34
    if (this.step === 'prevote' && this.votes.hasQuorumAny(round, 'prevote') && this.once('L34', round)) {
      out.push(this.schedule('prevote', round));
      return true;
    }
    // L36
    if (stored?.valid && p && (this.step === 'prevote' || this.step === 'precommit') && this.votes.hasQuorumFor(round, 'prevote', p.value) && this.once('L36', round)) {
      if (this.step === 'prevote') {
        this.lockedValue = p.value;
        this.lockedRound = round;
        this.castVote('precommit', p.value, out);
        this.step = 'precommit';
      }
      this.validValue = p.value;
      this.validRound = round;
      return true;
    }
    // L44
    if (this.step === 'prevote' && this.votes.hasQuorumFor(round, 'prevote', null)) {
      this.castVote('precommit', null, out);
      this.step = 'precommit';
      return true;
    }
    // L47
    if (this.votes.hasQuorumAny(round, 'precommit') && this.once('L47', round)) {
      out.push(this.schedule('precommit', round));
      return true;
    }
    return false;
  }
}
