/**
 * Types of the Tendermint consensus core ("The latest gossip on BFT consensus", Buchman, Kwon,
 * Milosevic 2018). Values are opaque ids (the block hash in hex); the driver maps them to blocks.
 */
export type ValueId = string;
export type Address = string;

export type Step = 'propose' | 'prevote' | 'precommit' | 'commit';
export type VoteType = 'prevote' | 'precommit';

export interface Proposal {
  readonly height: number;
  readonly round: number;
  readonly value: ValueId;
  /** The round in which the proposer saw a polka for this value (-1 for a fresh value). */
  readonly validRound: number;
  readonly proposer: Address;
}

export interface Vote {
  readonly type: VoteType;
  readonly height: number;
  readonly round: number;
  /** null is a vote for nil. */
  readonly value: ValueId | null;
  readonly validator: Address;
}

export interface ValidatorPower {
  readonly address: Address;
  readonly power: bigint;
}

/** Two votes by one validator for the same height, round and type, on different values. */
export interface Equivocation {
  readonly first: Vote;
  readonly second: Vote;
}
