import { TendermintMachine } from './machine.js';
import type { Input, Output, Timeouts } from './io.js';
import type { Address, ValidatorPower } from './types.js';

export interface DriverConfig {
  readonly self: Address;
  /** The validator set that decides `height` (changes from staking apply at H+2, decided by the app). */
  readonly validatorsAt: (height: number) => readonly ValidatorPower[];
  readonly proposerAt: (height: number) => (round: number) => Address;
  readonly timeouts?: Timeouts;
  /** How many heights ahead messages are kept for; anything further is dropped (bounded memory). */
  readonly futureHeights?: number;
}

/** Inputs tagged with the height they belong to (timeouts carry the height they were scheduled at). */
export type DriverInput = Exclude<Input, { kind: 'start' }> & { readonly height: number };
export type DriverOutput = Output & { readonly height: number };

const MAX_BUFFERED_PER_HEIGHT = 10_000;

/**
 * Runs the Tendermint machine height after height: messages for the current height go to its
 * machine, messages for the next few heights wait in a bounded buffer, older ones are dropped.
 * After a `decide`, nothing happens for the next height until the node has committed the block and
 * calls `startHeight(h + 1)`. Pure like the machine: the engine outside performs the outputs.
 */
export class ConsensusDriver {
  private machine: TendermintMachine | undefined;
  private readonly buffered = new Map<number, DriverInput[]>();

  constructor(private readonly config: DriverConfig) {}

  get height(): number {
    return this.machine?.height ?? 0;
  }

  get current(): TendermintMachine | undefined {
    return this.machine;
  }

  startHeight(height: number): DriverOutput[] {
    if (this.machine && height <= this.machine.height) throw new Error(`height ${height} is not after ${this.machine.height}`);
    this.machine = new TendermintMachine({
      height,
      self: this.config.self,
      validators: this.config.validatorsAt(height),
      proposer: this.config.proposerAt(height),
      timeouts: this.config.timeouts,
    });
    for (const h of [...this.buffered.keys()]) if (h < height) this.buffered.delete(h);
    const out = this.tag(this.machine.apply({ kind: 'start' }));
    const waiting = this.buffered.get(height) ?? [];
    this.buffered.delete(height);
    for (const input of waiting) out.push(...this.apply(input));
    return out;
  }

  apply(input: DriverInput): DriverOutput[] {
    const m = this.machine;
    if (!m || input.height > m.height) {
      this.buffer(input);
      return [];
    }
    if (input.height < m.height) return [];
    const { height: _height, ...rest } = input;
    return this.tag(m.apply(rest as Input));
  }

  private buffer(input: DriverInput): void {
    if (input.kind === 'timeout') return;
    const ahead = input.height - this.height;
    if (ahead > (this.config.futureHeights ?? 2)) return;
    let list = this.buffered.get(input.height);
    if (!list) this.buffered.set(input.height, (list = []));
    if (list.length < MAX_BUFFERED_PER_HEIGHT) list.push(input);
  }

  private tag(outputs: Output[]): DriverOutput[] {
    const height = this.machine!.height;
    return outputs.map((o) => ({ ...o, height }));
  }
}
