import { moduleAddress } from '@trucom/crypto';
import type { Invariant } from '@trucom/chain';
import type { BankKeeper } from '@trucom/bank';
import { UnbondingDelegation } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { decString } from './dec.js';
import type { StakingKeeper } from './keeper.js';
import { DELEGATION_PREFIX, UBD_PREFIX } from './keys.js';
import { BONDED_POOL, NOT_BONDED_POOL } from './params.js';
import { allValidators, delegationsOf } from './queries.js';
import { BondStatus } from './types.js';
import { decFromWire } from './dec.js';

/** The SDK's module-accounts invariant: each pool holds exactly the tokens its validators and unbondings account for. */
export function poolsInvariant(keeper: StakingKeeper, bank: Pick<BankKeeper, 'balance'>): Invariant {
  return async (ctx) => {
    const denom = keeper.bondDenom(ctx.store);
    let bonded = 0n;
    let notBonded = 0n;
    for (const v of await allValidators(ctx.store)) {
      if (v.status === BondStatus.BOND_STATUS_BONDED) bonded += v.tokens;
      else notBonded += v.tokens;
    }
    for await (const [, value] of ctx.store.iterate(UBD_PREFIX)) for (const e of UnbondingDelegation.decode(value).entries) notBonded += BigInt(e.balance);
    const problems: string[] = [];
    const bondedBalance = bank.balance(ctx.store, moduleAddress(BONDED_POOL), denom);
    const notBondedBalance = bank.balance(ctx.store, moduleAddress(NOT_BONDED_POOL), denom);
    if (bondedBalance !== bonded) problems.push(`bonded pool holds ${bondedBalance}${denom}, bonded validators have ${bonded}`);
    if (notBondedBalance !== notBonded) problems.push(`not-bonded pool holds ${notBondedBalance}${denom}, unbonding entries and other validators have ${notBonded}`);
    return problems.length ? problems.join('; ') : undefined;
  };
}

/** The SDK's delegator-shares invariant: a validator's delegator_shares is the sum of its delegations' shares. */
export const delegatorSharesInvariant: Invariant = async (ctx) => {
  const sums = new Map<string, bigint>();
  for (const d of await delegationsOf(ctx.store, DELEGATION_PREFIX)) sums.set(d.validatorAddress, (sums.get(d.validatorAddress) ?? 0n) + decFromWire(d.shares));
  const problems: string[] = [];
  for (const v of await allValidators(ctx.store)) {
    const sum = sums.get(v.operatorAddress) ?? 0n;
    if (sum !== v.delegatorShares) problems.push(`${v.operatorAddress}: delegator_shares ${decString(v.delegatorShares)}, delegations sum to ${decString(sum)}`);
    sums.delete(v.operatorAddress);
  }
  for (const [op] of sums) problems.push(`delegations to unknown validator ${op}`);
  return problems.length ? problems.join('; ') : undefined;
};
