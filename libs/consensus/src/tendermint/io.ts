import type { Equivocation, Proposal, ValueId, Vote } from './types.js';

/** What the state machine is told. Timeouts come back as inputs once their delay has passed. */
export type Input =
  | { readonly kind: 'start' }
  | { readonly kind: 'proposal'; readonly proposal: Proposal; /** the driver's verdict on the value */ readonly valid: boolean }
  | { readonly kind: 'vote'; readonly vote: Vote }
  | { readonly kind: 'timeout'; readonly step: TimeoutStep; readonly round: number }
  /** The value to propose, answering a `getValue` output. */
  | { readonly kind: 'proposeValue'; readonly round: number; readonly value: ValueId }
  /**
   * A decision reached by others, with its precommits (catch-up, as from block sync): decides if
   * more than 2/3 of the power precommitted `value` in `round`. The driver has checked the value
   * (the block) and the votes' signatures.
   */
  | { readonly kind: 'commit'; readonly round: number; readonly value: ValueId; readonly votes: readonly Vote[] };

export type TimeoutStep = 'propose' | 'prevote' | 'precommit';

/** What the driver must carry out. Nothing here has happened until the driver does it. */
export type Output =
  | { readonly kind: 'getValue'; readonly round: number }
  | { readonly kind: 'propose'; readonly proposal: Proposal }
  | { readonly kind: 'vote'; readonly vote: Vote }
  | { readonly kind: 'scheduleTimeout'; readonly step: TimeoutStep; readonly round: number; readonly delayMs: number }
  | { readonly kind: 'decide'; readonly value: ValueId; readonly round: number; readonly commit: Vote[] }
  | { readonly kind: 'evidence'; readonly equivocation: Equivocation };

/** Round timeouts grow linearly per round (CometBFT's defaults as the base). */
export interface Timeouts {
  readonly propose: number;
  readonly prevote: number;
  readonly precommit: number;
  readonly delta: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { propose: 3000, prevote: 1000, precommit: 1000, delta: 500 };
