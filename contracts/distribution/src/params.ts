import { parseDec, ONE } from '@trucom/staking';

/** Distribution parameters (genesis `app_state.distribution.params`). */
export interface DistributionParams {
  /** Bond-denom units minted into fee_collector every block that has signers to pay. */
  readonly blockProvision: bigint;
  /** Dec atomics; the share of each block's rewards kept in the community pool. */
  readonly communityTax: bigint;
}

export const DEFAULT_DISTRIBUTION_PARAMS: DistributionParams = { blockProvision: 0n, communityTax: 0n };

export interface DistributionGenesis {
  readonly params?: {
    /** Integer amount of the bond denom per block, e.g. "1000000". */
    readonly block_provision?: string;
    /** Decimal, e.g. "0". */
    readonly community_tax?: string;
  };
}

export function distributionParamsFromGenesis(g: DistributionGenesis['params'] = {}): DistributionParams {
  if (g.block_provision !== undefined && !/^[0-9]{1,40}$/.test(g.block_provision)) throw new Error(`distribution genesis: invalid block_provision ${g.block_provision}`);
  const p = {
    blockProvision: g.block_provision === undefined ? 0n : BigInt(g.block_provision),
    communityTax: g.community_tax === undefined ? 0n : parseDec(g.community_tax),
  };
  if (p.communityTax > ONE) throw new Error('distribution genesis: community_tax must be within [0, 1]');
  return p;
}
