import type { StdFee } from '@cosmjs/amino';
import { calculateFee, GasPrice, parseCoins, type Coin } from '@cosmjs/stargate';

/** The fee flags of a tx command, as given. */
export interface FeeFlags {
  readonly fees?: string;
  readonly gas: string;
  readonly gasPrices: string;
  readonly gasAdjustment: string;
}

export const DEFAULT_GAS_PRICES = '0.01utru';
/** cosmjs' own multiplier for "auto": simulated gas × 1.4 leaves room for state changing in between. */
export const DEFAULT_GAS_ADJUSTMENT = '1.4';

/**
 * How to pay: a fixed fee (`--fees`), or gas × price (`--gas-prices`); either way with a gas limit
 * that is given (`--gas 200000`) or simulated (`--gas auto`) and scaled by the adjustment.
 */
export interface FeePlan {
  readonly gasPrice: GasPrice;
  readonly fixedAmount?: readonly Coin[];
  readonly gasLimit: number | 'auto';
  readonly gasAdjustment: number;
}

export function parseFeeFlags(flags: FeeFlags, explicitGasPrices: boolean): FeePlan {
  if (flags.fees !== undefined && explicitGasPrices) throw new Error('give either --fees or --gas-prices, not both');
  let gasPrice: GasPrice;
  try {
    gasPrice = GasPrice.fromString(flags.gasPrices);
  } catch (err) {
    throw new Error(`--gas-prices: ${(err as Error).message} (expected e.g. ${DEFAULT_GAS_PRICES})`);
  }
  const fixedAmount = flags.fees === undefined ? undefined : parseAmount(flags.fees, '--fees', true);
  const gasLimit = flags.gas === 'auto' ? 'auto' : Number(flags.gas);
  if (gasLimit !== 'auto' && !(/^\d+$/.test(flags.gas) && Number.isSafeInteger(gasLimit) && gasLimit > 0)) {
    throw new Error(`--gas must be "auto" or a positive integer, got ${JSON.stringify(flags.gas)}`);
  }
  const gasAdjustment = Number(flags.gasAdjustment);
  if (!(Number.isFinite(gasAdjustment) && gasAdjustment >= 1)) throw new Error(`--gas-adjustment must be a number >= 1, got ${JSON.stringify(flags.gasAdjustment)}`);
  return { gasPrice, fixedAmount, gasLimit, gasAdjustment };
}

/**
 * The complete fee for a tx. With `--gas auto` the tx is simulated first and the estimate scaled by
 * the adjustment, as cosmjs' own "auto" does; a failing simulation means the tx would fail, and the
 * error says so before anything is broadcast.
 */
export async function feeForTx(plan: FeePlan, simulate: () => Promise<number>): Promise<StdFee> {
  let gas: number;
  if (plan.gasLimit !== 'auto') {
    gas = plan.gasLimit;
  } else {
    let estimate: number;
    try {
      estimate = await simulate();
    } catch (err) {
      throw new SimulationError(`tx simulation failed, nothing was broadcast: ${(err as Error).message}`);
    }
    gas = Math.ceil(estimate * plan.gasAdjustment);
  }
  return plan.fixedAmount === undefined ? calculateFee(gas, plan.gasPrice) : { amount: [...plan.fixedAmount], gas: String(gas) };
}

export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

/** `1000utru` or `1000utru,5stake`: positive integer amounts. `allowZero` for fees ("0utru"). */
export function parseAmount(text: string, what: string, allowZero = false): Coin[] {
  let coins: Coin[];
  try {
    coins = parseCoins(text.replace(/\s+/g, ''));
  } catch (err) {
    throw new Error(`${what}: ${(err as Error).message} (expected e.g. 1000utru)`);
  }
  if (coins.length === 0) throw new Error(`${what}: no amount given (expected e.g. 1000utru)`);
  if (!allowZero && coins.some((c) => BigInt(c.amount) === 0n)) throw new Error(`${what}: amounts must be positive, got ${text}`);
  // The SDK only accepts coin lists sorted by denom without repeats.
  coins.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
  const repeated = coins.find((c, i) => i > 0 && coins[i - 1]!.denom === c.denom);
  if (repeated) throw new Error(`${what}: denom ${repeated.denom} appears twice`);
  return coins;
}
