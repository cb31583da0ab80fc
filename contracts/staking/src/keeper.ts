import { Delegation, Redelegation, UnbondingDelegation, type Description } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { toBech32 } from '@cosmjs/encoding';
import { decodeAddress, moduleAddress, validatorAddress, ACCOUNT_PREFIX, VALOPER_PREFIX, utf8 } from '@trucom/crypto';
import { coinsString, ErrInvalidRequest, type Context, type KVStore, type ReadonlyKVStore, type Timestamp, type ValidatorUpdate } from '@trucom/chain';
import type { BankKeeper } from '@trucom/bank';
import { decFromWire, decString, decToWire, ONE } from './dec.js';
import {
  ErrBadRedelegationDst,
  ErrBadRedelegationSrc,
  ErrDelegatorShareExRateInvalid,
  ErrInsufficientShares,
  ErrMaxRedelegationEntries,
  ErrMaxUnbondingDelegationEntries,
  ErrNoDelegation,
  ErrNoValidatorFound,
  ErrSelfRedelegation,
  ErrTinyRedelegationAmount,
  ErrTransitiveRedelegation,
  ErrValidatorOwnerExists,
  ErrValidatorPubKeyExists,
} from './errors.js';
import {
  consKey,
  delegationByValKey,
  delegationKey,
  LAST_POWERS,
  PARAMS,
  RED_QUEUE,
  redInKey,
  redKey,
  SET_DIRTY,
  UBD_QUEUE,
  ubdByValKey,
  ubdKey,
  VAL_QUEUE,
  validatorKey,
  VALIDATORS_INDEX,
} from './keys.js';
import { BONDED_POOL, consensusPower, DEFAULT_STAKING_PARAMS, NOT_BONDED_POOL, type StakingParams } from './params.js';
import { addSeconds, compareTime, formatTime, fromProtoTime, toProtoTime } from './time.js';
import { BondStatus, decodeValidator, encodeValidator, tokensFromShares, type Commission, type Validator } from './types.js';

const text = new TextDecoder();
const readJson = <T>(store: ReadonlyKVStore, key: string, fallback: T): T => {
  const v = store.get(key);
  return v ? (JSON.parse(text.decode(v)) as T) : fallback;
};
const writeJson = (store: KVStore, key: string, value: unknown) => store.set(key, utf8(JSON.stringify(value)));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The account that operates a validator: the same 20 bytes under the account prefix. */
export const operatorAccount = (valoper: string): string => toBech32(ACCOUNT_PREFIX, decodeAddress(valoper, VALOPER_PREFIX));
export const valoperOf = (account: string): string => toBech32(VALOPER_PREFIX, decodeAddress(account, ACCOUNT_PREFIX));
export const CONSENSUS_PREFIX = 'truvalcons';
export const consAddressString = (consAddress: Uint8Array): string => toBech32(CONSENSUS_PREFIX, consAddress);

/** A queue entry: completion time, then who. Lists are kept sorted by (time, delegator, validators). */
interface QueueEntry {
  readonly s: number;
  readonly n: number;
  readonly d: string;
  readonly v: string;
  /** Redelegations: destination validator. */
  readonly w?: string;
}
const queueOrder = (a: QueueEntry, b: QueueEntry) =>
  a.s - b.s || a.n - b.n || (a.d < b.d ? -1 : a.d > b.d ? 1 : 0) || (a.v < b.v ? -1 : a.v > b.v ? 1 : 0) || ((a.w ?? '') < (b.w ?? '') ? -1 : (a.w ?? '') > (b.w ?? '') ? 1 : 0);

/** The validators that should be bonded: unjailed, power > 0, the top `max` by tokens (ties: operator address). */
export function selectBondedSet(validators: readonly Validator[], max: number): Validator[] {
  return validators
    .filter((v) => !v.jailed && consensusPower(v.tokens) > 0)
    .sort((a, b) => (a.tokens !== b.tokens ? (a.tokens > b.tokens ? -1 : 1) : a.operatorAddress < b.operatorAddress ? -1 : a.operatorAddress > b.operatorAddress ? 1 : 0))
    .slice(0, max);
}

/** Notified by the keeper around every change of a delegation (distribution settles rewards here). */
export interface StakingHooks {
  afterValidatorCreated?(ctx: Context, operator: string): void;
  /** Before the shares of an existing delegation change (or it is removed). */
  beforeDelegationSharesModified?(ctx: Context, delegator: string, operator: string): void;
  /** After a delegation was created, changed or removed. */
  afterDelegationModified?(ctx: Context, delegator: string, operator: string): void;
}

export interface NewValidator {
  readonly operatorAddress: string;
  readonly consensusPubkey: Uint8Array;
  readonly description: Description;
  readonly commission: Omit<Commission, 'updateTime'>;
  readonly minSelfDelegation: bigint;
}

/**
 * Validators, delegations, unbonding and redelegation (the SDK's x/staking keeper). Tokens sit in
 * two module accounts, `bonded_tokens_pool` (validators in the set) and `not_bonded_tokens_pool`
 * (everyone else and every unbonding entry); each operation moves them with the validator's status.
 */
export class StakingKeeper {
  private readonly hooks: StakingHooks[] = [];

  constructor(private readonly bank: Pick<BankKeeper, 'send' | 'sendFromAccountToModule' | 'sendFromModuleToAccount' | 'burn' | 'balance'>) {}

  addHooks(hooks: StakingHooks): void {
    this.hooks.push(hooks);
  }

  // ---- params ----

  params(store: ReadonlyKVStore): StakingParams {
    const raw = readJson<Record<string, unknown> | undefined>(store, PARAMS, undefined);
    if (!raw) return DEFAULT_STAKING_PARAMS;
    return { ...(raw as unknown as StakingParams), minCommissionRate: BigInt(raw.minCommissionRate as string) };
  }

  setParams(store: KVStore, p: StakingParams): void {
    writeJson(store, PARAMS, { ...p, minCommissionRate: p.minCommissionRate.toString() });
  }

  /** Bond-denom balance of a staking pool module account. */
  poolBalance(store: ReadonlyKVStore, pool: string): bigint {
    return this.bank.balance(store, moduleAddress(pool), this.bondDenom(store));
  }

  bondDenom(store: ReadonlyKVStore): string {
    return this.params(store).bondDenom;
  }

  // ---- validators ----

  getValidator(store: ReadonlyKVStore, operator: string): Validator | undefined {
    const v = store.get(validatorKey(operator));
    return v ? decodeValidator(v) : undefined;
  }

  mustGetValidator(store: ReadonlyKVStore, operator: string): Validator {
    const v = this.getValidator(store, operator);
    if (!v) throw ErrNoValidatorFound(`validator ${operator} does not exist`);
    return v;
  }

  /** Every write of a validator marks the set for recomputation at the end of the block. */
  setValidator(store: KVStore, v: Validator): void {
    store.set(validatorKey(v.operatorAddress), encodeValidator(v));
    store.set(SET_DIRTY, new Uint8Array([1]));
  }

  validatorOperators(store: ReadonlyKVStore): string[] {
    return readJson<string[]>(store, VALIDATORS_INDEX, []);
  }

  validatorByConsAddr(store: ReadonlyKVStore, consAddress: Uint8Array): Validator | undefined {
    const op = store.get(consKey(hex(consAddress)));
    return op ? this.getValidator(store, text.decode(op)) : undefined;
  }

  /** Registers a new validator (unbonded, no tokens yet); the caller then self-delegates. */
  createValidator(ctx: Context, nv: NewValidator): Validator {
    const store = ctx.store;
    if (store.has(validatorKey(nv.operatorAddress))) throw ErrValidatorOwnerExists();
    const consAddress = validatorAddress(nv.consensusPubkey);
    if (store.has(consKey(hex(consAddress)))) throw ErrValidatorPubKeyExists();
    const v: Validator = {
      operatorAddress: nv.operatorAddress,
      consensusPubkey: nv.consensusPubkey,
      jailed: false,
      status: BondStatus.BOND_STATUS_UNBONDED,
      tokens: 0n,
      delegatorShares: 0n,
      description: nv.description,
      unbondingHeight: 0,
      unbondingTime: { seconds: 0, nanos: 0 },
      commission: { ...nv.commission, updateTime: ctx.block.time },
      minSelfDelegation: nv.minSelfDelegation,
    };
    this.setValidator(store, v);
    store.set(consKey(hex(consAddress)), utf8(v.operatorAddress));
    const index = this.validatorOperators(store);
    index.push(v.operatorAddress);
    index.sort();
    writeJson(store, VALIDATORS_INDEX, index);
    for (const h of this.hooks) h.afterValidatorCreated?.(ctx, v.operatorAddress);
    return v;
  }

  /** Genesis: writes a validator with its indexes, no checks, no hooks. */
  initValidator(store: KVStore, v: Validator): void {
    this.setValidator(store, v);
    store.set(consKey(hex(validatorAddress(v.consensusPubkey))), utf8(v.operatorAddress));
    const index = this.validatorOperators(store);
    index.push(v.operatorAddress);
    index.sort();
    writeJson(store, VALIDATORS_INDEX, index);
  }

  /** Genesis: records the bonded set as the one consensus starts with. */
  initLastPowers(store: KVStore, powers: [string, number][]): void {
    writeJson(store, LAST_POWERS, [...powers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    store.delete(SET_DIRTY);
  }

  initDelegation(store: KVStore, delegator: string, operator: string, shares: bigint): void {
    this.setDelegation(store, delegator, operator, shares);
  }

  // ---- delegations ----

  getDelegation(store: ReadonlyKVStore, delegator: string, operator: string): bigint | undefined {
    const v = store.get(delegationKey(delegator, operator));
    return v ? decFromWire(Delegation.decode(v).shares) : undefined;
  }

  private setDelegation(store: KVStore, delegator: string, operator: string, shares: bigint): void {
    if (shares === 0n) {
      store.delete(delegationKey(delegator, operator));
      store.delete(delegationByValKey(operator, delegator));
    } else {
      store.set(delegationKey(delegator, operator), Delegation.encode({ delegatorAddress: delegator, validatorAddress: operator, shares: decToWire(shares) }).finish());
      store.set(delegationByValKey(operator, delegator), new Uint8Array());
    }
  }

  private poolOf(v: Validator): string {
    return v.status === BondStatus.BOND_STATUS_BONDED ? BONDED_POOL : NOT_BONDED_POOL;
  }

  /**
   * Adds `amount` bond tokens to a validator for `delegator`. The tokens come from the delegator's
   * account, or (redelegation) from a pool: then they only move if the pools differ.
   */
  delegate(ctx: Context, delegator: string, operator: string, amount: bigint, from: { account: true } | { pool: string }): bigint {
    const denom = this.bondDenom(ctx.store);
    let v = this.mustGetValidator(ctx.store, operator);
    if (v.tokens === 0n && v.delegatorShares > 0n) throw ErrDelegatorShareExRateInvalid();
    const existing = this.getDelegation(ctx.store, delegator, operator);
    if (existing !== undefined) for (const h of this.hooks) h.beforeDelegationSharesModified?.(ctx, delegator, operator);
    const pool = this.poolOf(v);
    const coins = [{ denom, amount }];
    if ('account' in from) this.bank.sendFromAccountToModule(ctx, delegator, pool, coins);
    else if (from.pool !== pool) this.bank.send(ctx, moduleAddress(from.pool), moduleAddress(pool), coins);
    const issued = v.tokens === 0n ? amount * ONE : (amount * v.delegatorShares) / v.tokens;
    if (issued === 0n) throw ErrInvalidRequest(`delegation of ${amount}${denom} issues no shares`);
    v = this.mustGetValidator(ctx.store, operator); // the hooks may have read it; nothing else changed it
    this.setValidator(ctx.store, { ...v, tokens: v.tokens + amount, delegatorShares: v.delegatorShares + issued });
    this.setDelegation(ctx.store, delegator, operator, (existing ?? 0n) + issued);
    for (const h of this.hooks) h.afterDelegationModified?.(ctx, delegator, operator);
    return issued;
  }

  /**
   * The shares that unbond `amount` tokens (rounded up, so the delegator receives at least the
   * amount), capped at the delegation; more than the delegation holds is an error.
   */
  private sharesForAmount(v: Validator, delegationShares: bigint, amount: bigint): bigint {
    if (v.tokens === 0n) throw ErrInsufficientShares('validator has no tokens');
    const truncated = (amount * v.delegatorShares) / v.tokens;
    if (truncated > delegationShares) throw ErrInsufficientShares(`invalid shares amount: ${decString(truncated)} > ${decString(delegationShares)}`);
    const ceil = (amount * v.delegatorShares + v.tokens - 1n) / v.tokens;
    return ceil > delegationShares ? delegationShares : ceil;
  }

  /** Removes shares from a delegation and the matching tokens from the validator; returns the tokens. */
  private unbond(ctx: Context, delegator: string, operator: string, shares: bigint): bigint {
    const existing = this.getDelegation(ctx.store, delegator, operator);
    if (existing === undefined) throw ErrNoDelegation();
    if (shares > existing) throw ErrInsufficientShares();
    for (const h of this.hooks) h.beforeDelegationSharesModified?.(ctx, delegator, operator);
    let v = this.mustGetValidator(ctx.store, operator);
    const remaining = existing - shares;
    this.setDelegation(ctx.store, delegator, operator, remaining);
    // A self-delegation falling below the declared minimum jails the validator (as the SDK does).
    if (delegator === operatorAccount(operator) && !v.jailed && tokensFromShares(v, remaining) < v.minSelfDelegation) {
      v = { ...v, jailed: true };
      ctx.events.emit('slash', { jailed: consAddressString(validatorAddress(v.consensusPubkey)) });
    }
    const tokens = shares === v.delegatorShares ? v.tokens : tokensFromShares(v, shares);
    this.setValidator(ctx.store, { ...v, tokens: v.tokens - tokens, delegatorShares: v.delegatorShares - shares });
    for (const h of this.hooks) h.afterDelegationModified?.(ctx, delegator, operator);
    return tokens;
  }

  // ---- unbonding ----

  getUnbonding(store: ReadonlyKVStore, delegator: string, operator: string): UnbondingDelegation | undefined {
    const v = store.get(ubdKey(delegator, operator));
    return v ? UnbondingDelegation.decode(v) : undefined;
  }

  private setUnbonding(store: KVStore, ubd: UnbondingDelegation): void {
    if (ubd.entries.length === 0) {
      store.delete(ubdKey(ubd.delegatorAddress, ubd.validatorAddress));
      store.delete(ubdByValKey(ubd.validatorAddress, ubd.delegatorAddress));
    } else {
      store.set(ubdKey(ubd.delegatorAddress, ubd.validatorAddress), UnbondingDelegation.encode(ubd).finish());
      store.set(ubdByValKey(ubd.validatorAddress, ubd.delegatorAddress), new Uint8Array());
    }
  }

  private pushQueue(store: KVStore, key: string, e: QueueEntry): void {
    const q = readJson<QueueEntry[]>(store, key, []);
    q.push(e);
    q.sort(queueOrder);
    writeJson(store, key, q);
  }

  undelegate(ctx: Context, delegator: string, operator: string, amount: bigint): { completionTime: Timestamp; amount: bigint } {
    const params = this.params(ctx.store);
    const v = this.mustGetValidator(ctx.store, operator);
    const ubd = this.getUnbonding(ctx.store, delegator, operator) ?? { delegatorAddress: delegator, validatorAddress: operator, entries: [] };
    if (ubd.entries.length >= params.maxEntries) throw ErrMaxUnbondingDelegationEntries();
    const delShares = this.getDelegation(ctx.store, delegator, operator);
    if (delShares === undefined) throw ErrNoDelegation();
    const tokens = this.unbond(ctx, delegator, operator, this.sharesForAmount(v, delShares, amount));
    if (tokens === 0n) throw ErrInvalidRequest('undelegation amount truncates to zero tokens');
    if (v.status === BondStatus.BOND_STATUS_BONDED) this.bank.send(ctx, moduleAddress(BONDED_POOL), moduleAddress(NOT_BONDED_POOL), [{ denom: params.bondDenom, amount: tokens }]);
    const completionTime = addSeconds(ctx.block.time, params.unbondingTime);
    ubd.entries.push({
      creationHeight: BigInt(ctx.block.height),
      completionTime: toProtoTime(completionTime),
      initialBalance: tokens.toString(),
      balance: tokens.toString(),
      unbondingId: 0n,
      unbondingOnHoldRefCount: 0n,
    });
    this.setUnbonding(ctx.store, ubd);
    this.pushQueue(ctx.store, UBD_QUEUE, { s: completionTime.seconds, n: completionTime.nanos, d: delegator, v: operator });
    ctx.events.emit('unbond', { validator: operator, delegator, amount: `${tokens}${params.bondDenom}`, completion_time: formatTime(completionTime) });
    return { completionTime, amount: tokens };
  }

  // ---- redelegation ----

  getRedelegation(store: ReadonlyKVStore, delegator: string, src: string, dst: string): Redelegation | undefined {
    const v = store.get(redKey(delegator, src, dst));
    return v ? Redelegation.decode(v) : undefined;
  }

  private incomingRedelegations(store: ReadonlyKVStore, delegator: string, dst: string): number {
    const v = store.get(redInKey(delegator, dst));
    return v ? Number(text.decode(v)) : 0;
  }

  private addIncoming(store: KVStore, delegator: string, dst: string, delta: number): void {
    const n = this.incomingRedelegations(store, delegator, dst) + delta;
    if (n <= 0) store.delete(redInKey(delegator, dst));
    else store.set(redInKey(delegator, dst), utf8(String(n)));
  }

  beginRedelegation(ctx: Context, delegator: string, src: string, dst: string, amount: bigint): Timestamp {
    if (src === dst) throw ErrSelfRedelegation();
    const params = this.params(ctx.store);
    const srcV = this.getValidator(ctx.store, src);
    if (!srcV) throw ErrBadRedelegationSrc();
    if (!this.getValidator(ctx.store, dst)) throw ErrBadRedelegationDst();
    if (this.incomingRedelegations(ctx.store, delegator, src) > 0) throw ErrTransitiveRedelegation();
    const red = this.getRedelegation(ctx.store, delegator, src, dst) ?? { delegatorAddress: delegator, validatorSrcAddress: src, validatorDstAddress: dst, entries: [] };
    if (red.entries.length >= params.maxEntries) throw ErrMaxRedelegationEntries();
    const delShares = this.getDelegation(ctx.store, delegator, src);
    if (delShares === undefined) throw ErrNoDelegation();
    const tokens = this.unbond(ctx, delegator, src, this.sharesForAmount(srcV, delShares, amount));
    if (tokens === 0n) throw ErrTinyRedelegationAmount();
    const sharesDst = this.delegate(ctx, delegator, dst, tokens, { pool: this.poolOf(srcV) });
    const completeNow = srcV.status === BondStatus.BOND_STATUS_UNBONDED;
    const completionTime = completeNow ? ctx.block.time : addSeconds(ctx.block.time, params.unbondingTime);
    if (!completeNow) {
      red.entries.push({
        creationHeight: BigInt(ctx.block.height),
        completionTime: toProtoTime(completionTime),
        initialBalance: tokens.toString(),
        sharesDst: decToWire(sharesDst),
        unbondingId: 0n,
        unbondingOnHoldRefCount: 0n,
      });
      ctx.store.set(redKey(delegator, src, dst), Redelegation.encode(red).finish());
      this.addIncoming(ctx.store, delegator, dst, 1);
      this.pushQueue(ctx.store, RED_QUEUE, { s: completionTime.seconds, n: completionTime.nanos, d: delegator, v: src, w: dst });
    }
    ctx.events.emit('redelegate', {
      source_validator: src,
      destination_validator: dst,
      delegator,
      amount: `${tokens}${params.bondDenom}`,
      completion_time: formatTime(completionTime),
    });
    return completionTime;
  }

  // ---- jailing and slashing (called by the slashing module) ----

  jail(ctx: Context, consAddress: Uint8Array): void {
    const v = this.validatorByConsAddr(ctx.store, consAddress);
    if (!v || v.jailed) return;
    this.setValidator(ctx.store, { ...v, jailed: true });
  }

  unjail(ctx: Context, consAddress: Uint8Array): void {
    const v = this.validatorByConsAddr(ctx.store, consAddress);
    if (!v || !v.jailed) return;
    this.setValidator(ctx.store, { ...v, jailed: false });
  }

  /**
   * The SDK's Slash: `fraction` of the stake the validator had at `infractionHeight` (its consensus
   * `power` then). Unbonding entries created at or after that height are slashed first (their stake
   * contributed to the infraction); the rest comes from the validator's tokens (not its shares, so
   * every delegator loses pro rata). Returns the tokens burned.
   */
  slash(ctx: Context, consAddress: Uint8Array, infractionHeight: number, power: number, fraction: bigint): bigint {
    const v = this.validatorByConsAddr(ctx.store, consAddress);
    if (!v) return 0n;
    const denom = this.bondDenom(ctx.store);
    let remaining = (BigInt(power) * 1_000_000n * fraction) / ONE;
    let burnedUnbonding = 0n;
    if (infractionHeight < ctx.block.height) {
      const seen = new Set<string>();
      for (const e of readJson<QueueEntry[]>(ctx.store, UBD_QUEUE, [])) {
        if (e.v !== v.operatorAddress || seen.has(e.d)) continue;
        seen.add(e.d);
        const ubd = this.getUnbonding(ctx.store, e.d, e.v);
        if (!ubd) continue;
        for (const entry of ubd.entries) {
          if (Number(entry.creationHeight) < infractionHeight || compareTime(fromProtoTime(entry.completionTime), ctx.block.time) <= 0) continue;
          const owed = (BigInt(entry.initialBalance) * fraction) / ONE;
          const balance = BigInt(entry.balance);
          const cut = owed < balance ? owed : balance;
          entry.balance = (balance - cut).toString();
          burnedUnbonding += cut;
        }
        this.setUnbonding(ctx.store, ubd);
      }
      remaining = remaining > burnedUnbonding ? remaining - burnedUnbonding : 0n;
    }
    const fromTokens = remaining < v.tokens ? remaining : v.tokens;
    if (burnedUnbonding > 0n) this.bank.burn(ctx, NOT_BONDED_POOL, [{ denom, amount: burnedUnbonding }]);
    if (fromTokens > 0n) {
      this.bank.burn(ctx, this.poolOf(v), [{ denom, amount: fromTokens }]);
      this.setValidator(ctx.store, { ...v, tokens: v.tokens - fromTokens });
    }
    return burnedUnbonding + fromTokens;
  }

  // ---- end of block ----

  /** The last validator set handed to consensus: operator → power, sorted by operator. */
  lastPowers(store: ReadonlyKVStore): [string, number][] {
    return readJson<[string, number][]>(store, LAST_POWERS, []);
  }

  /**
   * The SDK's ApplyAndReturnValidatorSetUpdates: the top `max_validators` unjailed validators by
   * power (ties: more tokens, then operator address) form the bonded set; validators entering are
   * bonded (tokens move to the bonded pool), validators leaving start unbonding. Returns an update
   * for every validator whose power differs from the last set (0 = removed). Only runs when a
   * validator changed since the last call.
   */
  applyValidatorSetUpdates(ctx: Context): ValidatorUpdate[] {
    const store = ctx.store;
    if (!store.has(SET_DIRTY)) return [];
    store.delete(SET_DIRTY);
    const params = this.params(store);
    const candidates = selectBondedSet(this.validatorOperators(store).map((op) => this.getValidator(store, op)!), params.maxValidators);
    const last = new Map(this.lastPowers(store));
    const next = new Map<string, number>();
    const updates: ValidatorUpdate[] = [];
    for (const v of candidates) {
      const power = consensusPower(v.tokens);
      next.set(v.operatorAddress, power);
      if (v.status !== BondStatus.BOND_STATUS_BONDED) this.bondValidator(ctx, v, params.bondDenom);
      if (last.get(v.operatorAddress) !== power) updates.push({ publicKey: v.consensusPubkey, power });
    }
    for (const op of [...last.keys()].sort()) {
      if (next.has(op)) continue;
      const v = this.getValidator(store, op)!;
      this.beginUnbondingValidator(ctx, v, params);
      updates.push({ publicKey: v.consensusPubkey, power: 0 });
    }
    writeJson(store, LAST_POWERS, [...next.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    // Bonding and unbonding rewrote validators; the set they form is the one just computed.
    store.delete(SET_DIRTY);
    return updates;
  }

  private bondValidator(ctx: Context, v: Validator, denom: string): void {
    if (v.tokens > 0n) this.bank.send(ctx, moduleAddress(NOT_BONDED_POOL), moduleAddress(BONDED_POOL), [{ denom, amount: v.tokens }]);
    if (v.status === BondStatus.BOND_STATUS_UNBONDING) {
      const q = readJson<QueueEntry[]>(ctx.store, VAL_QUEUE, []).filter((e) => e.v !== v.operatorAddress);
      writeJson(ctx.store, VAL_QUEUE, q);
    }
    this.setValidator(ctx.store, { ...v, status: BondStatus.BOND_STATUS_BONDED, unbondingHeight: 0, unbondingTime: { seconds: 0, nanos: 0 } });
  }

  private beginUnbondingValidator(ctx: Context, v: Validator, params: StakingParams): void {
    if (v.tokens > 0n) this.bank.send(ctx, moduleAddress(BONDED_POOL), moduleAddress(NOT_BONDED_POOL), [{ denom: params.bondDenom, amount: v.tokens }]);
    const time = addSeconds(ctx.block.time, params.unbondingTime);
    this.setValidator(ctx.store, { ...v, status: BondStatus.BOND_STATUS_UNBONDING, unbondingHeight: ctx.block.height, unbondingTime: time });
    this.pushQueue(ctx.store, VAL_QUEUE, { s: time.seconds, n: time.nanos, d: '', v: v.operatorAddress });
  }

  /** Pops the mature head of a queue (entries are sorted by completion time). */
  private popMature(store: KVStore, key: string, now: Timestamp): QueueEntry[] {
    const q = readJson<QueueEntry[]>(store, key, []);
    let i = 0;
    while (i < q.length && compareTime({ seconds: q[i]!.s, nanos: q[i]!.n }, now) <= 0) i++;
    if (i === 0) return [];
    if (i === q.length) store.delete(key);
    else writeJson(store, key, q.slice(i));
    return q.slice(0, i);
  }

  /** Staking's end of block: the new validator set, then matured validators, unbondings and redelegations. */
  endBlock(ctx: Context): ValidatorUpdate[] {
    const updates = this.applyValidatorSetUpdates(ctx);
    const now = ctx.block.time;
    const denom = this.bondDenom(ctx.store);
    for (const e of this.popMature(ctx.store, VAL_QUEUE, now)) {
      const v = this.getValidator(ctx.store, e.v);
      if (v?.status === BondStatus.BOND_STATUS_UNBONDING) this.setValidator(ctx.store, { ...v, status: BondStatus.BOND_STATUS_UNBONDED });
    }
    const done = new Set<string>();
    for (const e of this.popMature(ctx.store, UBD_QUEUE, now)) {
      if (done.has(`${e.d}/${e.v}`)) continue;
      done.add(`${e.d}/${e.v}`);
      const ubd = this.getUnbonding(ctx.store, e.d, e.v);
      if (!ubd) continue;
      let paid = 0n;
      const left = ubd.entries.filter((x) => {
        if (compareTime(fromProtoTime(x.completionTime), now) > 0) return true;
        paid += BigInt(x.balance);
        return false;
      });
      this.setUnbonding(ctx.store, { ...ubd, entries: left });
      const coins = paid > 0n ? [{ denom, amount: paid }] : [];
      if (paid > 0n) this.bank.sendFromModuleToAccount(ctx, NOT_BONDED_POOL, e.d, coins);
      ctx.events.emit('complete_unbonding', { amount: coinsString(coins), validator: e.v, delegator: e.d });
    }
    done.clear();
    for (const e of this.popMature(ctx.store, RED_QUEUE, now)) {
      if (done.has(`${e.d}/${e.v}/${e.w}`)) continue;
      done.add(`${e.d}/${e.v}/${e.w}`);
      const red = this.getRedelegation(ctx.store, e.d, e.v, e.w!);
      if (!red) continue;
      const left = red.entries.filter((x) => compareTime(fromProtoTime(x.completionTime), now) > 0);
      this.addIncoming(ctx.store, e.d, e.w!, left.length - red.entries.length);
      if (left.length === 0) ctx.store.delete(redKey(e.d, e.v, e.w!));
      else ctx.store.set(redKey(e.d, e.v, e.w!), Redelegation.encode({ ...red, entries: left }).finish());
      ctx.events.emit('complete_redelegation', { amount: '', source_validator: e.v, destination_validator: e.w!, delegator: e.d });
    }
    return updates;
  }

  /** Pending unbonding queue, for invariants and tests. */
  unbondingQueue(store: ReadonlyKVStore): readonly QueueEntry[] {
    return readJson<QueueEntry[]>(store, UBD_QUEUE, []);
  }
}
