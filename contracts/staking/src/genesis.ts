import { fromBase64, isValidAddress, VALOPER_PREFIX } from '@trucom/crypto';
import type { Context } from '@trucom/chain';
import type { BankKeeper } from '@trucom/bank';
import { moduleAddress } from '@trucom/crypto';
import { ONE, parseDec } from './dec.js';
import { selectBondedSet, type StakingKeeper } from './keeper.js';
import { BONDED_POOL, consensusPower, DEFAULT_STAKING_PARAMS, NOT_BONDED_POOL, validateStakingParams, type StakingParams } from './params.js';
import { checkCommissionRates } from './msgs.js';
import { BondStatus, type Validator } from './types.js';

/** `app_state.staking` of genesis.json. Every field is optional; without validators staking is idle. */
export interface StakingGenesis {
  readonly params?: {
    /** Seconds (number or decimal string). */
    readonly unbonding_time?: number | string;
    readonly max_validators?: number;
    readonly max_entries?: number;
    readonly bond_denom?: string;
    /** Decimal, e.g. "0.05". */
    readonly min_commission_rate?: string;
  };
  readonly validators?: readonly GenesisStakingValidator[];
  readonly delegations?: readonly { readonly delegator_address: string; readonly validator_address: string; /** decimal shares */ readonly shares: string }[];
}

export interface GenesisStakingValidator {
  readonly operator_address: string;
  /** Base64 of the 32-byte Ed25519 consensus key. */
  readonly consensus_pubkey: string;
  /** Integer bond-denom amount. */
  readonly tokens: string;
  readonly moniker: string;
  /** Decimal, e.g. "0.05". */
  readonly commission_rate: string;
  readonly commission_max_rate?: string;
  readonly commission_max_change_rate?: string;
  readonly min_self_delegation?: string;
}

export function stakingParamsFromGenesis(g: StakingGenesis['params'] = {}): StakingParams {
  const p: StakingParams = {
    unbondingTime: g.unbonding_time === undefined ? DEFAULT_STAKING_PARAMS.unbondingTime : Number(g.unbonding_time),
    maxValidators: g.max_validators ?? DEFAULT_STAKING_PARAMS.maxValidators,
    maxEntries: g.max_entries ?? DEFAULT_STAKING_PARAMS.maxEntries,
    bondDenom: g.bond_denom ?? DEFAULT_STAKING_PARAMS.bondDenom,
    minCommissionRate: g.min_commission_rate === undefined ? 0n : parseDec(g.min_commission_rate),
  };
  validateStakingParams(p);
  return p;
}

/** The genesis validators, with delegator shares summed from the delegations. */
export function genesisValidators(g: StakingGenesis, time: Validator['unbondingTime']): Validator[] {
  const shares = new Map<string, bigint>();
  for (const d of g.delegations ?? []) {
    if (!isValidAddress(d.delegator_address)) throw new Error(`staking genesis: invalid delegator ${d.delegator_address}`);
    const s = parseDec(d.shares);
    if (s <= 0n) throw new Error(`staking genesis: delegation of ${d.delegator_address} has no shares`);
    shares.set(d.validator_address, (shares.get(d.validator_address) ?? 0n) + s);
  }
  const seen = new Set<string>();
  const keys = new Set<string>();
  return (g.validators ?? []).map((gv) => {
    if (!isValidAddress(gv.operator_address, VALOPER_PREFIX)) throw new Error(`staking genesis: invalid operator address ${gv.operator_address}`);
    if (seen.has(gv.operator_address)) throw new Error(`staking genesis: duplicate validator ${gv.operator_address}`);
    seen.add(gv.operator_address);
    const key = fromBase64(gv.consensus_pubkey);
    if (key.length !== 32) throw new Error(`staking genesis: ${gv.operator_address} consensus_pubkey must be a base64 32-byte ed25519 key`);
    if (keys.has(gv.consensus_pubkey)) throw new Error(`staking genesis: duplicate consensus key ${gv.consensus_pubkey}`);
    keys.add(gv.consensus_pubkey);
    if (!/^[0-9]+$/.test(gv.tokens)) throw new Error(`staking genesis: ${gv.operator_address} tokens must be an integer`);
    const tokens = BigInt(gv.tokens);
    const delegatorShares = shares.get(gv.operator_address) ?? 0n;
    if (tokens > 0n && delegatorShares === 0n) throw new Error(`staking genesis: ${gv.operator_address} has tokens but no delegations`);
    const rate = parseDec(gv.commission_rate);
    const maxRate = gv.commission_max_rate === undefined ? ONE : parseDec(gv.commission_max_rate);
    const maxChangeRate = gv.commission_max_change_rate === undefined ? parseDec('0.01') : parseDec(gv.commission_max_change_rate);
    checkCommissionRates(rate, maxRate, maxChangeRate);
    return {
      operatorAddress: gv.operator_address,
      consensusPubkey: key,
      jailed: false,
      status: BondStatus.BOND_STATUS_UNBONDED,
      tokens,
      delegatorShares,
      description: { moniker: gv.moniker, identity: '', website: '', securityContact: '', details: '' },
      unbondingHeight: 0,
      unbondingTime: { seconds: 0, nanos: 0 },
      commission: { rate, maxRate, maxChangeRate, updateTime: time },
      minSelfDelegation: BigInt(gv.min_self_delegation ?? '1'),
    };
  });
}

/**
 * Genesis validators are bonded from height 1 (the top max_validators by tokens); their tokens must
 * already sit in `bonded_tokens_pool` (a bank genesis balance), the others' in `not_bonded_tokens_pool`.
 */
export function initStakingGenesis(keeper: StakingKeeper, bank: Pick<BankKeeper, 'balance'>, ctx: Context, g: StakingGenesis = {}): void {
  const params = stakingParamsFromGenesis(g.params);
  keeper.setParams(ctx.store, params);
  const validators = genesisValidators(g, ctx.block.time);
  const known = new Set(validators.map((v) => v.operatorAddress));
  for (const d of g.delegations ?? []) if (!known.has(d.validator_address)) throw new Error(`staking genesis: delegation to unknown validator ${d.validator_address}`);
  const bonded = new Set(selectBondedSet(validators, params.maxValidators).map((v) => v.operatorAddress));
  let bondedTokens = 0n;
  let notBondedTokens = 0n;
  const powers: [string, number][] = [];
  for (const v of validators) {
    const isBonded = bonded.has(v.operatorAddress);
    keeper.initValidator(ctx.store, { ...v, status: isBonded ? BondStatus.BOND_STATUS_BONDED : BondStatus.BOND_STATUS_UNBONDED });
    if (isBonded) {
      bondedTokens += v.tokens;
      powers.push([v.operatorAddress, consensusPower(v.tokens)]);
    } else notBondedTokens += v.tokens;
  }
  for (const d of g.delegations ?? []) keeper.initDelegation(ctx.store, d.delegator_address, d.validator_address, parseDec(d.shares));
  keeper.initLastPowers(ctx.store, powers);
  const bondedBalance = bank.balance(ctx.store, moduleAddress(BONDED_POOL), params.bondDenom);
  const notBondedBalance = bank.balance(ctx.store, moduleAddress(NOT_BONDED_POOL), params.bondDenom);
  if (bondedBalance !== bondedTokens) throw new Error(`staking genesis: bonded_tokens_pool holds ${bondedBalance}${params.bondDenom}, bonded validators have ${bondedTokens}`);
  if (notBondedBalance !== notBondedTokens) throw new Error(`staking genesis: not_bonded_tokens_pool holds ${notBondedBalance}${params.bondDenom}, other validators have ${notBondedTokens}`);
}
