import { readFileSync } from 'node:fs';
import type { AuthGenesis } from '@trucom/auth';
import type { BankGenesis } from '@trucom/bank';
import { moduleAddress, toBase64, toUpperHex, validatorAddress, ACCOUNT_PREFIX, VALOPER_PREFIX, reprefix, isValidAddress } from '@trucom/crypto';
import { BONDED_POOL, consensusPower, genesisValidators, POWER_REDUCTION, selectBondedSet, stakingParamsFromGenesis, type StakingGenesis } from '@trucom/staking';
import type { DistributionGenesis } from '@trucom/distribution';
import type { SlashingGenesis } from '@trucom/slashing';
import type { MarketGenesis } from '@trucom/market';
import type { GrantsGenesis } from '@trucom/grants';

export const DENOM = 'utru';
export const DISPLAY_DENOM = 'TRU';
export const DENOM_EXPONENT = 6;

/** CometBFT-shaped genesis document (genesis.json), with our modules' state under app_state. */
export interface GenesisDoc {
  readonly genesis_time: string;
  readonly chain_id: string;
  readonly initial_height: string;
  readonly consensus_params: {
    readonly block: { readonly max_bytes: string; readonly max_gas: string };
    readonly evidence: { readonly max_age_num_blocks: string; readonly max_age_duration: string; readonly max_bytes: string };
    readonly validator: { readonly pub_key_types: string[] };
  };
  readonly validators: readonly GenesisValidator[];
  readonly app_hash: string;
  readonly app_state: {
    readonly auth: AuthGenesis;
    readonly bank: BankGenesis;
    /** Optional: without validators, staking, distribution and slashing stay idle. */
    readonly staking?: StakingGenesis;
    readonly distribution?: DistributionGenesis;
    readonly slashing?: SlashingGenesis;
    /** Optional: market params, genesis providers and deals (defaults: no providers). */
    readonly market?: MarketGenesis;
    /** Optional: key holders (providers' X25519 keys) from block 1. */
    readonly grants?: GrantsGenesis;
  };
}

export interface GenesisValidator {
  readonly address: string; // upper hex, 20 bytes
  readonly pub_key: { readonly type: 'tendermint/PubKeyEd25519'; readonly value: string };
  readonly power: string;
  readonly name: string;
}

export const DEFAULT_CONSENSUS_PARAMS: GenesisDoc['consensus_params'] = {
  // Proposals travel whole in one gossip message, and gossipsub frames stop at 4 MiB: blocks stay below.
  block: { max_bytes: '3145728', max_gas: '-1' },
  evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
  validator: { pub_key_types: ['ed25519'] },
};

export function validateGenesis(g: GenesisDoc): void {
  if (!/^[a-z0-9][a-z0-9-]{0,48}$/.test(g.chain_id)) throw new Error(`genesis: invalid chain_id ${JSON.stringify(g.chain_id)}`);
  if (Number.isNaN(Date.parse(g.genesis_time))) throw new Error(`genesis: invalid genesis_time ${g.genesis_time}`);
  if (g.validators.length === 0) throw new Error('genesis: no validators');
  for (const v of g.validators) if (!/^[1-9][0-9]*$/.test(v.power)) throw new Error(`genesis: validator ${v.name} has invalid power ${v.power}`);
  const staking = g.app_state.staking;
  if (staking?.validators?.length) {
    // Consensus takes its first set from `validators`; it must be the set staking bonds at genesis.
    const params = stakingParamsFromGenesis(staking.params);
    const bonded = selectBondedSet(genesisValidators(staking, parseTime(g.genesis_time)), params.maxValidators);
    const expected = new Map(bonded.map((v) => [toBase64(v.consensusPubkey), String(consensusPower(v.tokens))]));
    const actual = new Map(g.validators.map((v) => [v.pub_key.value, v.power]));
    for (const [key, power] of expected) {
      if (actual.get(key) !== power) throw new Error(`genesis: staking bonds ${key} with power ${power}, genesis validators say ${actual.get(key) ?? 'nothing'}`);
    }
    for (const key of actual.keys()) if (!expected.has(key)) throw new Error(`genesis: validator ${key} is not bonded by staking genesis`);
  }
}

export interface GenesisValidatorInput {
  /** The operator's account address (tru…); the validator's operator address is the same bytes as truvaloper…. */
  readonly operatorAccount: string;
  /** Ed25519 consensus public key (32 bytes). */
  readonly consensusPubKey: Uint8Array;
  /** Self-delegated tokens (utru), at least 10^6 (one unit of voting power). */
  readonly selfBond: bigint;
  readonly moniker: string;
  /** Decimal commission rate; default "0.05". */
  readonly commissionRate?: string;
}

export interface GenesisValidatorsState {
  /** `app_state.staking` validators and self-delegations (merge your params in). */
  readonly staking: { readonly validators: NonNullable<StakingGenesis['validators']>; readonly delegations: NonNullable<StakingGenesis['delegations']> };
  /** Add to `app_state.bank.balances`: the bonded pool holds the self-bonds, so the supply invariant holds. */
  readonly bondedPoolBalance: { readonly address: string; readonly coins: { denom: string; amount: string }[] };
  /** The genesis doc's consensus `validators`, with power = selfBond / 10^6. */
  readonly validators: GenesisValidator[];
}

/**
 * Staking genesis for validators bonded from height 1: each self-bonds `selfBond` utru (minted into
 * bonded_tokens_pool through the returned bank balance), with matching consensus validators.
 */
export function genesisValidatorsState(validators: readonly GenesisValidatorInput[]): GenesisValidatorsState {
  let total = 0n;
  const stakingValidators: GenesisValidatorsState['staking']['validators'][number][] = [];
  const delegations: GenesisValidatorsState['staking']['delegations'][number][] = [];
  const consensus: GenesisValidator[] = [];
  for (const v of validators) {
    if (!isValidAddress(v.operatorAccount, ACCOUNT_PREFIX)) throw new Error(`genesisValidatorsState: invalid operator account ${v.operatorAccount}`);
    if (v.consensusPubKey.length !== 32) throw new Error(`genesisValidatorsState: ${v.moniker} consensus key must be 32 bytes`);
    if (v.selfBond < POWER_REDUCTION) throw new Error(`genesisValidatorsState: ${v.moniker} self-bond ${v.selfBond} is below one unit of power (${POWER_REDUCTION})`);
    const operator = reprefix(v.operatorAccount, VALOPER_PREFIX);
    total += v.selfBond;
    stakingValidators.push({ operator_address: operator, consensus_pubkey: toBase64(v.consensusPubKey), tokens: v.selfBond.toString(), moniker: v.moniker, commission_rate: v.commissionRate ?? '0.05' });
    delegations.push({ delegator_address: v.operatorAccount, validator_address: operator, shares: v.selfBond.toString() });
    consensus.push({
      address: toUpperHex(validatorAddress(v.consensusPubKey)),
      pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(v.consensusPubKey) },
      power: String(consensusPower(v.selfBond)),
      name: v.moniker,
    });
  }
  return {
    staking: { validators: stakingValidators, delegations },
    bondedPoolBalance: { address: moduleAddress(BONDED_POOL), coins: [{ denom: DENOM, amount: total.toString() }] },
    validators: consensus,
  };
}

export function readGenesis(path: string): GenesisDoc {
  const g = JSON.parse(readFileSync(path, 'utf8')) as GenesisDoc;
  validateGenesis(g);
  return g;
}

/** RFC 3339 time → integer (seconds, nanos), keeping nanosecond precision. */
export function parseTime(rfc3339: string): { seconds: number; nanos: number } {
  const m = /\.(\d{1,9})Z$/.exec(rfc3339);
  const seconds = Math.floor(Date.parse(rfc3339) / 1000);
  return { seconds, nanos: m ? Number(m[1]!.padEnd(9, '0')) : 0 };
}
