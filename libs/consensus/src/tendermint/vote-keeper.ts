import type { Address, Equivocation, ValidatorPower, ValueId, Vote, VoteType } from './types.js';

/** The key under which nil votes are tallied. */
const NIL = '\u0000nil';

interface RoundTally {
  readonly byValidator: Map<Address, Vote>;
  readonly byValue: Map<string, bigint>;
  total: bigint;
}

/**
 * Tallies votes per (round, type) by voting power: first vote per validator counts, a conflicting
 * second one is reported as equivocation and not counted. Thresholds follow the paper: more than
 * 2/3 of the total power ("2f+1") and more than 1/3 ("f+1").
 */
export class VoteKeeper {
  private readonly rounds = new Map<string, RoundTally>();
  private readonly power: Map<Address, bigint>;
  readonly totalPower: bigint;

  constructor(validators: readonly ValidatorPower[]) {
    this.power = new Map(validators.map((v) => [v.address, v.power]));
    this.totalPower = validators.reduce((sum, v) => sum + v.power, 0n);
  }

  isValidator(address: Address): boolean {
    return this.power.has(address);
  }

  powerOf(address: Address): bigint {
    return this.power.get(address) ?? 0n;
  }

  /** Records a vote; returns equivocation evidence when it conflicts with an earlier one. */
  add(vote: Vote): { added: boolean; equivocation?: Equivocation } {
    const weight = this.power.get(vote.validator);
    if (weight === undefined) return { added: false };
    const tally = this.tally(vote.round, vote.type);
    const earlier = tally.byValidator.get(vote.validator);
    if (earlier) return earlier.value === vote.value ? { added: false } : { added: false, equivocation: { first: earlier, second: vote } };
    tally.byValidator.set(vote.validator, vote);
    const key = vote.value ?? NIL;
    tally.byValue.set(key, (tally.byValue.get(key) ?? 0n) + weight);
    tally.total += weight;
    return { added: true };
  }

  private tally(round: number, type: VoteType): RoundTally {
    const key = `${round}/${type}`;
    let t = this.rounds.get(key);
    if (!t) this.rounds.set(key, (t = { byValidator: new Map(), byValue: new Map(), total: 0n }));
    return t;
  }

  private superMajority(power: bigint): boolean {
    return power * 3n > this.totalPower * 2n;
  }

  /** 2f+1 votes of `type` in `round` for `value` (null: for nil). */
  hasQuorumFor(round: number, type: VoteType, value: ValueId | null): boolean {
    return this.superMajority(this.tally(round, type).byValue.get(value ?? NIL) ?? 0n);
  }

  /** 2f+1 votes of `type` in `round`, for anything. */
  hasQuorumAny(round: number, type: VoteType): boolean {
    return this.superMajority(this.tally(round, type).total);
  }

  /** The value (not nil) with 2f+1 votes of `type` in `round`, if any. */
  quorumValue(round: number, type: VoteType): ValueId | undefined {
    for (const [value, power] of this.tally(round, type).byValue) if (value !== NIL && this.superMajority(power)) return value;
    return undefined;
  }

  /** f+1 power has sent some message in `round` (the round-skip rule). */
  hasSkipThreshold(round: number, senders: ReadonlySet<Address>): boolean {
    let power = 0n;
    for (const s of senders) power += this.power.get(s) ?? 0n;
    return power * 3n > this.totalPower;
  }

  /** Votes of `type` in `round` (for commits and evidence). */
  votes(round: number, type: VoteType): Vote[] {
    return [...this.tally(round, type).byValidator.values()];
  }
}
