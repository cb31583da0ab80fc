import {
  MsgBeginRedelegate,
  MsgBeginRedelegateResponse,
  MsgCreateValidator,
  MsgCreateValidatorResponse,
  MsgDelegate,
  MsgDelegateResponse,
  MsgEditValidator,
  MsgEditValidatorResponse,
  MsgUndelegate,
  MsgUndelegateResponse,
} from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import type { Description } from 'cosmjs-types/cosmos/staking/v1beta1/staking';
import { isValidAddress, VALOPER_PREFIX } from '@trucom/crypto';
import { ErrInvalidAddress, ErrInvalidRequest, type Context, type MsgHandler } from '@trucom/chain';
import { decFromWire, decString, ONE } from './dec.js';
import {
  ErrCommissionChangeRateGTMaxRate,
  ErrCommissionChangeRateNegative,
  ErrCommissionGTMaxChangeRate,
  ErrCommissionGTMaxRate,
  ErrCommissionHuge,
  ErrCommissionLTMinRate,
  ErrCommissionNegative,
  ErrCommissionUpdateTime,
  ErrEmptyDelegatorAddr,
  ErrEmptyValidatorAddr,
  ErrMinSelfDelegationDecreased,
  ErrSelfDelegationBelowMinimum,
  ErrSelfRedelegation,
  ErrValidatorPubKeyTypeNotSupported,
} from './errors.js';
import { operatorAccount, type StakingKeeper } from './keeper.js';
import { toProtoTime } from './time.js';
import { ED25519_PUBKEY_TYPE } from './types.js';

const DO_NOT_MODIFY = '[do-not-modify]';
const DAY_SECONDS = 24 * 3600;

function requireDelegator(address: string): void {
  if (!address) throw ErrEmptyDelegatorAddr();
  if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid delegator address ${JSON.stringify(address)}`);
}

function requireValoper(address: string, field = 'validator'): void {
  if (!address) throw ErrEmptyValidatorAddr();
  if (!isValidAddress(address, VALOPER_PREFIX)) throw ErrInvalidAddress(`invalid ${field} address ${JSON.stringify(address)}`);
}

function positiveAmount(c: { denom: string; amount: string } | undefined, what: string): bigint {
  if (!c || !/^[0-9]{1,77}$/.test(c.amount) || BigInt(c.amount) <= 0n) throw ErrInvalidRequest(`invalid ${what} amount`);
  return BigInt(c.amount);
}

function requireBondDenom(keeper: StakingKeeper, ctx: Context, denom: string): void {
  const bond = keeper.bondDenom(ctx.store);
  if (denom !== bond) throw ErrInvalidRequest(`invalid coin denomination: got ${denom}, expected ${bond}`);
}

function dec(s: string, field: string): bigint {
  try {
    return decFromWire(s);
  } catch {
    throw ErrInvalidRequest(`invalid ${field} ${JSON.stringify(s)}`);
  }
}

function checkDescription(d: Description): void {
  if (!d.moniker || d.moniker === DO_NOT_MODIFY) throw ErrInvalidRequest('empty description: moniker is required');
  const limits: [keyof Description, number][] = [['moniker', 70], ['identity', 3000], ['website', 140], ['securityContact', 140], ['details', 280]];
  for (const [k, max] of limits) if ((d[k] ?? '').length > max) throw ErrInvalidRequest(`invalid ${k} length; got: ${d[k].length}, max: ${max}`);
}

/** CommissionRates.Validate of the SDK. */
export function checkCommissionRates(rate: bigint, maxRate: bigint, maxChangeRate: bigint): void {
  if (maxRate < 0n) throw ErrCommissionNegative('max rate');
  if (maxRate > ONE) throw ErrCommissionHuge();
  if (rate < 0n) throw ErrCommissionNegative('rate');
  if (rate > maxRate) throw ErrCommissionGTMaxRate();
  if (maxChangeRate < 0n) throw ErrCommissionChangeRateNegative();
  if (maxChangeRate > maxRate) throw ErrCommissionChangeRateGTMaxRate();
}

export function msgCreateValidatorHandler(keeper: StakingKeeper): MsgHandler<MsgCreateValidator> {
  return {
    typeUrl: '/cosmos.staking.v1beta1.MsgCreateValidator',
    decode: (bytes) => MsgCreateValidator.decode(bytes),
    signers: (msg) => [operatorAccount(msg.validatorAddress)],
    validate(msg) {
      requireValoper(msg.validatorAddress);
      if (msg.delegatorAddress && msg.delegatorAddress !== operatorAccount(msg.validatorAddress)) throw ErrInvalidAddress('delegator address must be the validator operator account');
      if (!msg.pubkey) throw ErrInvalidRequest('empty validator public key');
      if (msg.pubkey.typeUrl !== ED25519_PUBKEY_TYPE) throw ErrValidatorPubKeyTypeNotSupported(`got: ${msg.pubkey.typeUrl}, expected: [ed25519]`);
      positiveAmount(msg.value, 'delegation');
      checkDescription(msg.description);
      const c = msg.commission;
      checkCommissionRates(dec(c.rate, 'commission rate'), dec(c.maxRate, 'commission max rate'), dec(c.maxChangeRate, 'commission max change rate'));
      if (!/^[0-9]{1,77}$/.test(msg.minSelfDelegation) || BigInt(msg.minSelfDelegation) <= 0n) throw ErrInvalidRequest('minimum self delegation must be a positive integer');
      if (BigInt(msg.value.amount) < BigInt(msg.minSelfDelegation)) throw ErrSelfDelegationBelowMinimum();
    },
    execute(ctx, msg) {
      let key: Uint8Array;
      try {
        key = Ed25519PubKey.decode(msg.pubkey!.value).key;
      } catch {
        throw ErrValidatorPubKeyTypeNotSupported('cannot decode ed25519 key');
      }
      if (key.length !== 32) throw ErrValidatorPubKeyTypeNotSupported(`ed25519 key must be 32 bytes, got ${key.length}`);
      requireBondDenom(keeper, ctx, msg.value.denom);
      const rate = decFromWire(msg.commission.rate);
      if (rate < keeper.params(ctx.store).minCommissionRate) throw ErrCommissionLTMinRate();
      keeper.createValidator(ctx, {
        operatorAddress: msg.validatorAddress,
        consensusPubkey: key,
        description: msg.description,
        commission: { rate, maxRate: decFromWire(msg.commission.maxRate), maxChangeRate: decFromWire(msg.commission.maxChangeRate) },
        minSelfDelegation: BigInt(msg.minSelfDelegation),
      });
      const amount = BigInt(msg.value.amount);
      keeper.delegate(ctx, operatorAccount(msg.validatorAddress), msg.validatorAddress, amount, { account: true });
      ctx.events.emit('create_validator', { validator: msg.validatorAddress, amount: `${amount}${msg.value.denom}` });
      return { typeUrl: '/cosmos.staking.v1beta1.MsgCreateValidatorResponse', value: MsgCreateValidatorResponse.encode({}).finish() };
    },
  };
}

export function msgEditValidatorHandler(keeper: StakingKeeper): MsgHandler<MsgEditValidator> {
  return {
    typeUrl: '/cosmos.staking.v1beta1.MsgEditValidator',
    decode: (bytes) => MsgEditValidator.decode(bytes),
    signers: (msg) => [operatorAccount(msg.validatorAddress)],
    validate(msg) {
      requireValoper(msg.validatorAddress);
      if (msg.commissionRate) dec(msg.commissionRate, 'commission rate');
      if (msg.minSelfDelegation && (!/^[0-9]{1,77}$/.test(msg.minSelfDelegation) || BigInt(msg.minSelfDelegation) <= 0n)) {
        throw ErrInvalidRequest('minimum self delegation must be a positive integer');
      }
    },
    execute(ctx, msg) {
      const v = keeper.mustGetValidator(ctx.store, msg.validatorAddress);
      const d = msg.description;
      const keep = (next: string | undefined, old: string) => (next === undefined || next === DO_NOT_MODIFY ? old : next);
      const description: Description = {
        moniker: keep(d?.moniker || DO_NOT_MODIFY, v.description.moniker),
        identity: keep(d?.identity, v.description.identity),
        website: keep(d?.website, v.description.website),
        securityContact: keep(d?.securityContact, v.description.securityContact),
        details: keep(d?.details, v.description.details),
      };
      checkDescription(description);
      let commission = v.commission;
      if (msg.commissionRate) {
        const rate = decFromWire(msg.commissionRate);
        if (ctx.block.time.seconds - v.commission.updateTime.seconds < DAY_SECONDS) throw ErrCommissionUpdateTime();
        if (rate < 0n) throw ErrCommissionNegative();
        if (rate > v.commission.maxRate) throw ErrCommissionGTMaxRate();
        const change = rate > v.commission.rate ? rate - v.commission.rate : v.commission.rate - rate;
        if (change > v.commission.maxChangeRate) throw ErrCommissionGTMaxChangeRate();
        if (rate < keeper.params(ctx.store).minCommissionRate) throw ErrCommissionLTMinRate();
        commission = { ...commission, rate, updateTime: ctx.block.time };
      }
      let minSelfDelegation = v.minSelfDelegation;
      if (msg.minSelfDelegation) {
        const next = BigInt(msg.minSelfDelegation);
        if (next <= v.minSelfDelegation) throw ErrMinSelfDelegationDecreased();
        if (next > v.tokens) throw ErrSelfDelegationBelowMinimum();
        minSelfDelegation = next;
      }
      keeper.setValidator(ctx.store, { ...v, description, commission, minSelfDelegation });
      ctx.events.emit('edit_validator', { commission_rate: decString(commission.rate), min_self_delegation: minSelfDelegation.toString() });
      return { typeUrl: '/cosmos.staking.v1beta1.MsgEditValidatorResponse', value: MsgEditValidatorResponse.encode({}).finish() };
    },
  };
}

export function msgDelegateHandler(keeper: StakingKeeper): MsgHandler<MsgDelegate> {
  return {
    typeUrl: '/cosmos.staking.v1beta1.MsgDelegate',
    decode: (bytes) => MsgDelegate.decode(bytes),
    signers: (msg) => [msg.delegatorAddress],
    validate(msg) {
      requireDelegator(msg.delegatorAddress);
      requireValoper(msg.validatorAddress);
      positiveAmount(msg.amount, 'delegation');
    },
    execute(ctx, msg) {
      keeper.mustGetValidator(ctx.store, msg.validatorAddress);
      requireBondDenom(keeper, ctx, msg.amount.denom);
      const amount = BigInt(msg.amount.amount);
      const shares = keeper.delegate(ctx, msg.delegatorAddress, msg.validatorAddress, amount, { account: true });
      ctx.events.emit('delegate', { validator: msg.validatorAddress, delegator: msg.delegatorAddress, amount: `${amount}${msg.amount.denom}`, new_shares: decString(shares) });
      return { typeUrl: '/cosmos.staking.v1beta1.MsgDelegateResponse', value: MsgDelegateResponse.encode({}).finish() };
    },
  };
}

export function msgUndelegateHandler(keeper: StakingKeeper): MsgHandler<MsgUndelegate> {
  return {
    typeUrl: '/cosmos.staking.v1beta1.MsgUndelegate',
    decode: (bytes) => MsgUndelegate.decode(bytes),
    signers: (msg) => [msg.delegatorAddress],
    validate(msg) {
      requireDelegator(msg.delegatorAddress);
      requireValoper(msg.validatorAddress);
      positiveAmount(msg.amount, 'shares');
    },
    execute(ctx, msg) {
      requireBondDenom(keeper, ctx, msg.amount.denom);
      const { completionTime, amount } = keeper.undelegate(ctx, msg.delegatorAddress, msg.validatorAddress, BigInt(msg.amount.amount));
      return {
        typeUrl: '/cosmos.staking.v1beta1.MsgUndelegateResponse',
        value: MsgUndelegateResponse.encode({ completionTime: toProtoTime(completionTime), amount: { denom: msg.amount.denom, amount: amount.toString() } }).finish(),
      };
    },
  };
}

export function msgBeginRedelegateHandler(keeper: StakingKeeper): MsgHandler<MsgBeginRedelegate> {
  return {
    typeUrl: '/cosmos.staking.v1beta1.MsgBeginRedelegate',
    decode: (bytes) => MsgBeginRedelegate.decode(bytes),
    signers: (msg) => [msg.delegatorAddress],
    validate(msg) {
      requireDelegator(msg.delegatorAddress);
      requireValoper(msg.validatorSrcAddress, 'source validator');
      requireValoper(msg.validatorDstAddress, 'destination validator');
      if (msg.validatorSrcAddress === msg.validatorDstAddress) throw ErrSelfRedelegation();
      positiveAmount(msg.amount, 'shares');
    },
    execute(ctx, msg) {
      requireBondDenom(keeper, ctx, msg.amount.denom);
      const completionTime = keeper.beginRedelegation(ctx, msg.delegatorAddress, msg.validatorSrcAddress, msg.validatorDstAddress, BigInt(msg.amount.amount));
      return { typeUrl: '/cosmos.staking.v1beta1.MsgBeginRedelegateResponse', value: MsgBeginRedelegateResponse.encode({ completionTime: toProtoTime(completionTime) }).finish() };
    },
  };
}
