import type { Address, ValidatorPower } from './types.js';

/**
 * CometBFT's weighted round-robin proposer selection: every round each validator's priority grows
 * by its power, the highest priority proposes and pays the total power back. Priorities are kept
 * centred and within a window of 2 × total power, as CometBFT does, so new or returning validators
 * neither starve nor dominate. Deterministic: ties go to the smaller address.
 */
export class ProposerPriority {
  private readonly priorities: Map<Address, bigint>;
  private readonly validators: readonly ValidatorPower[];
  private readonly total: bigint;

  constructor(validators: readonly ValidatorPower[], priorities?: ReadonlyMap<Address, bigint>) {
    this.validators = [...validators].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    this.total = this.validators.reduce((s, v) => s + v.power, 0n);
    this.priorities = new Map(this.validators.map((v) => [v.address, priorities?.get(v.address) ?? 0n]));
  }

  /** Advances one round and returns its proposer. */
  next(): Address {
    this.rescale();
    for (const v of this.validators) this.priorities.set(v.address, this.priorities.get(v.address)! + v.power);
    let best = this.validators[0]!;
    for (const v of this.validators) if (this.priorities.get(v.address)! > this.priorities.get(best.address)!) best = v;
    this.priorities.set(best.address, this.priorities.get(best.address)! - this.total);
    return best.address;
  }

  snapshot(): Map<Address, bigint> {
    return new Map(this.priorities);
  }

  private rescale(): void {
    const values = [...this.priorities.values()];
    const max = values.reduce((a, b) => (b > a ? b : a), values[0] ?? 0n);
    const min = values.reduce((a, b) => (b < a ? b : a), values[0] ?? 0n);
    const window = 2n * this.total;
    const diff = max - min;
    if (diff > window && window > 0n) {
      const ratio = (diff + window - 1n) / window;
      for (const [k, p] of this.priorities) this.priorities.set(k, p / ratio);
    }
    const avg = values.reduce((a, b) => a + b, 0n) / BigInt(Math.max(values.length, 1));
    for (const [k, p] of this.priorities) this.priorities.set(k, p - avg);
  }
}

/** The proposers of rounds 0..n at one height, starting from the height's priorities. */
export function proposerSchedule(validators: readonly ValidatorPower[], priorities?: ReadonlyMap<Address, bigint>) {
  const pp = new ProposerPriority(validators, priorities);
  const rounds: Address[] = [];
  return (round: number): Address => {
    while (rounds.length <= round) rounds.push(pp.next());
    return rounds[round]!;
  };
}
