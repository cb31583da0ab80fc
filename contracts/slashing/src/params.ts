import { ONE, parseDec } from '@trucom/staking';

/** Slashing parameters (genesis `app_state.slashing.params`); fractions are Dec atomics. */
export interface SlashingParams {
  readonly signedBlocksWindow: number;
  readonly minSignedPerWindow: bigint;
  /** Seconds. */
  readonly downtimeJailDuration: number;
  readonly slashFractionDoubleSign: bigint;
  readonly slashFractionDowntime: bigint;
}

/** The SDK's defaults except a 100-block window (SDK: 100) and 600 s jail (SDK: 600 s). */
export const DEFAULT_SLASHING_PARAMS: SlashingParams = {
  signedBlocksWindow: 100,
  minSignedPerWindow: ONE / 2n,
  downtimeJailDuration: 600,
  slashFractionDoubleSign: ONE / 20n,
  slashFractionDowntime: ONE / 100n,
};

export interface SlashingGenesis {
  readonly params?: {
    readonly signed_blocks_window?: number;
    /** Decimal, e.g. "0.5". */
    readonly min_signed_per_window?: string;
    /** Seconds. */
    readonly downtime_jail_duration?: number;
    readonly slash_fraction_double_sign?: string;
    readonly slash_fraction_downtime?: string;
  };
}

export function slashingParamsFromGenesis(g: SlashingGenesis['params'] = {}): SlashingParams {
  const d = DEFAULT_SLASHING_PARAMS;
  const frac = (s: string | undefined, def: bigint, name: string) => {
    const v = s === undefined ? def : parseDec(s);
    if (v > ONE) throw new Error(`slashing genesis: ${name} must be within [0, 1]`);
    return v;
  };
  const p: SlashingParams = {
    signedBlocksWindow: g.signed_blocks_window ?? d.signedBlocksWindow,
    minSignedPerWindow: frac(g.min_signed_per_window, d.minSignedPerWindow, 'min_signed_per_window'),
    downtimeJailDuration: g.downtime_jail_duration ?? d.downtimeJailDuration,
    slashFractionDoubleSign: frac(g.slash_fraction_double_sign, d.slashFractionDoubleSign, 'slash_fraction_double_sign'),
    slashFractionDowntime: frac(g.slash_fraction_downtime, d.slashFractionDowntime, 'slash_fraction_downtime'),
  };
  if (!Number.isSafeInteger(p.signedBlocksWindow) || p.signedBlocksWindow < 10 || p.signedBlocksWindow > 100_000) {
    throw new Error('slashing genesis: signed_blocks_window must be an integer in [10, 100000]');
  }
  if (!Number.isSafeInteger(p.downtimeJailDuration) || p.downtimeJailDuration <= 0) throw new Error('slashing genesis: downtime_jail_duration must be positive seconds');
  return p;
}
