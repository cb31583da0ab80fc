import { ONE } from './dec.js';

/** Staking parameters (genesis `app_state.staking.params`). */
export interface StakingParams {
  /** Seconds an unbonding (delegation, redelegation, validator) takes. */
  readonly unbondingTime: number;
  readonly maxValidators: number;
  /** Max entries per unbonding delegation / redelegation (the SDK's max_entries). */
  readonly maxEntries: number;
  readonly bondDenom: string;
  /** Dec atomics. */
  readonly minCommissionRate: bigint;
}

export const DEFAULT_STAKING_PARAMS: StakingParams = {
  unbondingTime: 21 * 24 * 3600,
  maxValidators: 100,
  maxEntries: 7,
  bondDenom: 'utru',
  minCommissionRate: 0n,
};

/** Voting power = tokens / 10^6 (the SDK's DefaultPowerReduction). */
export const POWER_REDUCTION = 1_000_000n;

export const BONDED_POOL = 'bonded_tokens_pool';
export const NOT_BONDED_POOL = 'not_bonded_tokens_pool';

export function consensusPower(tokens: bigint): number {
  return Number(tokens / POWER_REDUCTION);
}

export function validateStakingParams(p: StakingParams): void {
  if (!Number.isSafeInteger(p.unbondingTime) || p.unbondingTime <= 0) throw new Error('staking params: unbonding_time must be a positive number of seconds');
  if (!Number.isSafeInteger(p.maxValidators) || p.maxValidators <= 0) throw new Error('staking params: max_validators must be positive');
  if (!Number.isSafeInteger(p.maxEntries) || p.maxEntries <= 0) throw new Error('staking params: max_entries must be positive');
  if (!/^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/.test(p.bondDenom)) throw new Error(`staking params: invalid bond_denom ${p.bondDenom}`);
  if (p.minCommissionRate < 0n || p.minCommissionRate > ONE) throw new Error('staking params: min_commission_rate must be within [0, 1]');
}
