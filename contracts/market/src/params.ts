import { decString, ONE, parseDec } from '@trucom/staking';

/** Market parameters (genesis `app_state.market.params`); fixed at genesis. */
export interface MarketParams {
  /** Blocks per epoch: proofs are due once per epoch, payouts settle at its last block. */
  readonly epochBlocks: number;
  readonly minReplicas: number;
  /** Upper bound on a deal's replicas (bounds the work per deal and epoch). */
  readonly maxReplicas: number;
  /** Consecutive missed epochs after which a replica fails and is repaired elsewhere. */
  readonly maxMissedEpochs: number;
  /** Dec atomics: share of the provider's collateral burned per missed proof. */
  readonly missSlashFraction: bigint;
  /** CID profile names a deal may declare (how the content was chunked, so anyone can re-import it). */
  readonly allowedProfiles: readonly string[];
  /** Collateral a provider must bond to register, and to stay eligible for new assignments. */
  readonly minCollateral: bigint;
  readonly denom: string;
}

export const DEFAULT_MARKET_PARAMS: MarketParams = {
  epochBlocks: 100,
  minReplicas: 3,
  maxReplicas: 16,
  maxMissedEpochs: 2,
  missSlashFraction: parseDec('0.01'),
  allowedProfiles: ['cidv1-256k-174', 'unixfs-v1-2025'],
  minCollateral: 1_000_000n,
  denom: 'utru',
};

export const ESCROW_MODULE = 'market_escrow';
export const COLLATERAL_MODULE = 'market_collateral';
export const GIB = 1n << 30n;

/** Whole GiB a size is charged for, rounded up (at least 1). */
export const chargedGiB = (size: number): bigint => (BigInt(size) + GIB - 1n) / GIB || 1n;

/** `app_state.market.params` as JSON (snake_case; amounts and fractions as strings). */
export interface MarketGenesisParams {
  readonly epoch_blocks?: number;
  readonly min_replicas?: number;
  readonly max_replicas?: number;
  readonly max_missed_epochs?: number;
  /** Decimal, e.g. "0.01". */
  readonly miss_slash_fraction?: string;
  readonly allowed_profiles?: readonly string[];
  readonly min_collateral?: string;
  readonly denom?: string;
}

export function marketParamsFromGenesis(g: MarketGenesisParams = {}): MarketParams {
  const d = DEFAULT_MARKET_PARAMS;
  if (g.min_collateral !== undefined && !/^[0-9]{1,40}$/.test(g.min_collateral)) throw new Error(`market genesis: invalid min_collateral ${g.min_collateral}`);
  const p: MarketParams = {
    epochBlocks: g.epoch_blocks ?? d.epochBlocks,
    minReplicas: g.min_replicas ?? d.minReplicas,
    maxReplicas: g.max_replicas ?? d.maxReplicas,
    maxMissedEpochs: g.max_missed_epochs ?? d.maxMissedEpochs,
    missSlashFraction: g.miss_slash_fraction === undefined ? d.missSlashFraction : parseDec(g.miss_slash_fraction),
    allowedProfiles: g.allowed_profiles ? [...g.allowed_profiles] : d.allowedProfiles,
    minCollateral: g.min_collateral === undefined ? d.minCollateral : BigInt(g.min_collateral),
    denom: g.denom ?? d.denom,
  };
  validateMarketParams(p);
  return p;
}

const positiveInt = (n: number) => Number.isSafeInteger(n) && n > 0;

export function validateMarketParams(p: MarketParams): void {
  if (!positiveInt(p.epochBlocks)) throw new Error('market params: epoch_blocks must be a positive integer');
  if (!positiveInt(p.minReplicas)) throw new Error('market params: min_replicas must be a positive integer');
  if (!positiveInt(p.maxReplicas) || p.maxReplicas < p.minReplicas || p.maxReplicas > 64) throw new Error('market params: max_replicas must be within [min_replicas, 64]');
  if (!positiveInt(p.maxMissedEpochs)) throw new Error('market params: max_missed_epochs must be a positive integer');
  if (p.missSlashFraction < 0n || p.missSlashFraction > ONE) throw new Error('market params: miss_slash_fraction must be within [0, 1]');
  if (p.allowedProfiles.length === 0 || p.allowedProfiles.some((x) => !/^[a-z0-9][a-z0-9.-]{0,63}$/.test(x))) throw new Error('market params: allowed_profiles must be non-empty profile names');
  if (p.minCollateral < 0n) throw new Error('market params: min_collateral must not be negative');
  if (!/^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/.test(p.denom)) throw new Error(`market params: invalid denom ${p.denom}`);
}

/** Params as stored (JSON) and as queries/REST show them (snake_case, decimal fraction). */
export function marketParamsToJson(p: MarketParams) {
  return {
    epoch_blocks: p.epochBlocks,
    min_replicas: p.minReplicas,
    max_replicas: p.maxReplicas,
    max_missed_epochs: p.maxMissedEpochs,
    miss_slash_fraction: decString(p.missSlashFraction),
    allowed_profiles: [...p.allowedProfiles],
    min_collateral: p.minCollateral.toString(),
    denom: p.denom,
  };
}

/** Epochs are 1-based: epoch e is heights (e-1)·B+1 … e·B. Height 0 (genesis) is in epoch 0. */
export const epochOf = (height: number, epochBlocks: number): number => (height <= 0 ? 0 : Math.floor((height - 1) / epochBlocks) + 1);
export const epochStartHeight = (epoch: number, epochBlocks: number): number => (epoch - 1) * epochBlocks + 1;
export const epochEndHeight = (epoch: number, epochBlocks: number): number => epoch * epochBlocks;
