import { ValidatorSigningInfo } from 'cosmjs-types/cosmos/slashing/v1beta1/slashing';
import type { BlockConsensusInfo, Context, KVStore, ReadonlyKVStore, Misbehavior, VoteInfo } from '@trucom/chain';
import { validatorAddress, utf8 } from '@trucom/crypto';
import {
  addSeconds,
  BondStatus,
  compareTime,
  consAddressString,
  fromProtoTime,
  roundDec,
  toProtoTime,
  tokensFromShares,
  operatorAccount,
  type StakingKeeper,
} from '@trucom/staking';
import { ErrMissingSelfDelegation, ErrNoValidatorForAddress, ErrSelfDelegationTooLowToUnjail, ErrValidatorJailed, ErrValidatorNotJailed } from './errors.js';
import { infoKey, missedKey, PARAMS } from './keys.js';
import { DEFAULT_SLASHING_PARAMS, type SlashingParams } from './params.js';

const text = new TextDecoder();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** 9999-12-31T23:59:59Z: the SDK's DoubleSignJailEndTime (tombstoned validators never leave jail). */
export const DOUBLE_SIGN_JAIL_END = { seconds: 253402300799, nanos: 0 };

/**
 * Liveness and double-sign punishment (the SDK's x/slashing, with x/evidence's double-sign
 * handling): a per-validator window of missed blocks kept as a bitmap, jail and slash for downtime;
 * slash, jail and tombstone for verified double signs.
 */
export class SlashingKeeper {
  constructor(private readonly staking: StakingKeeper) {}

  params(store: ReadonlyKVStore): SlashingParams {
    const v = store.get(PARAMS);
    if (!v) return DEFAULT_SLASHING_PARAMS;
    const j = JSON.parse(text.decode(v)) as Record<string, string | number>;
    return {
      signedBlocksWindow: j.signedBlocksWindow as number,
      minSignedPerWindow: BigInt(j.minSignedPerWindow!),
      downtimeJailDuration: j.downtimeJailDuration as number,
      slashFractionDoubleSign: BigInt(j.slashFractionDoubleSign!),
      slashFractionDowntime: BigInt(j.slashFractionDowntime!),
    };
  }

  setParams(store: KVStore, p: SlashingParams): void {
    store.set(
      PARAMS,
      utf8(
        JSON.stringify({
          signedBlocksWindow: p.signedBlocksWindow,
          minSignedPerWindow: p.minSignedPerWindow.toString(),
          downtimeJailDuration: p.downtimeJailDuration,
          slashFractionDoubleSign: p.slashFractionDoubleSign.toString(),
          slashFractionDowntime: p.slashFractionDowntime.toString(),
        }),
      ),
    );
  }

  signingInfo(store: ReadonlyKVStore, consAddress: Uint8Array): ValidatorSigningInfo | undefined {
    const v = store.get(infoKey(hex(consAddress)));
    return v ? ValidatorSigningInfo.decode(v) : undefined;
  }

  private setSigningInfo(store: KVStore, consAddress: Uint8Array, info: ValidatorSigningInfo): void {
    store.set(infoKey(hex(consAddress)), ValidatorSigningInfo.encode(info).finish());
  }

  /** The most blocks a validator may miss in a window: window − round(window × min_signed_per_window). */
  maxMissed(p: SlashingParams): number {
    return p.signedBlocksWindow - Number(roundDec(BigInt(p.signedBlocksWindow) * p.minSignedPerWindow));
  }

  beginBlock(ctx: Context, info: BlockConsensusInfo): void {
    const params = this.params(ctx.store);
    for (const vote of info.lastCommit) this.handleValidatorSignature(ctx, params, vote);
    for (const ev of info.misbehavior) this.handleDoubleSign(ctx, params, ev);
  }

  /** The SDK's HandleValidatorSignature for one vote of the last commit. */
  private handleValidatorSignature(ctx: Context, params: SlashingParams, vote: VoteInfo): void {
    const validator = this.staking.validatorByConsAddr(ctx.store, vote.address);
    if (!validator) return; // a consensus validator staking does not know (e.g. a chain without staking genesis)
    const consHex = hex(vote.address);
    const address = consAddressString(vote.address);
    const height = ctx.block.height;
    const window = params.signedBlocksWindow;
    const info = this.signingInfo(ctx.store, vote.address) ?? {
      address,
      startHeight: BigInt(height),
      indexOffset: 0n,
      jailedUntil: { seconds: 0n, nanos: 0 },
      tombstoned: false,
      missedBlocksCounter: 0n,
    };
    const bitmap = ctx.store.get(missedKey(consHex))?.slice() ?? new Uint8Array(Math.ceil(window / 8));
    const index = Number(info.indexOffset % BigInt(window));
    info.indexOffset += 1n;
    const wasMissed = (bitmap[index >> 3]! & (1 << (index & 7))) !== 0;
    const missed = !vote.signed;
    if (missed !== wasMissed) {
      bitmap[index >> 3]! ^= 1 << (index & 7);
      info.missedBlocksCounter += missed ? 1n : -1n;
    }
    if (missed) ctx.events.emit('liveness', { address, missed_blocks: info.missedBlocksCounter.toString(), height: String(height) });
    const minHeight = Number(info.startHeight) + window;
    if (height > minHeight && Number(info.missedBlocksCounter) > this.maxMissed(params) && !validator.jailed) {
      // Power of the missed vote was set two blocks earlier (updates apply at H+2).
      const distributionHeight = height - 2;
      const burned = this.staking.slash(ctx, vote.address, distributionHeight, vote.power, params.slashFractionDowntime);
      ctx.events.emit('slash', { address, power: String(vote.power), reason: 'missing_signature', jailed: address, burned_coins: `${burned}${this.staking.bondDenom(ctx.store)}` });
      this.staking.jail(ctx, vote.address);
      info.jailedUntil = toProtoTime(addSeconds(ctx.block.time, params.downtimeJailDuration));
      // The window starts over: a validator that comes back is not jailed again at once.
      info.missedBlocksCounter = 0n;
      info.indexOffset = 0n;
      bitmap.fill(0);
    }
    this.setSigningInfo(ctx.store, vote.address, info);
    ctx.store.set(missedKey(consHex), bitmap);
  }

  /** x/evidence's HandleEquivocationEvidence: slash the stake at the infraction, jail forever, tombstone. */
  private handleDoubleSign(ctx: Context, params: SlashingParams, ev: Misbehavior): void {
    const validator = this.staking.validatorByConsAddr(ctx.store, ev.address);
    if (!validator || validator.status === BondStatus.BOND_STATUS_UNBONDED) return;
    const address = consAddressString(ev.address);
    const info = this.signingInfo(ctx.store, ev.address) ?? {
      address,
      startHeight: BigInt(ctx.block.height),
      indexOffset: 0n,
      jailedUntil: { seconds: 0n, nanos: 0 },
      tombstoned: false,
      missedBlocksCounter: 0n,
    };
    if (info.tombstoned) return;
    const burned = this.staking.slash(ctx, ev.address, ev.height - 1, ev.power, params.slashFractionDoubleSign);
    ctx.events.emit('slash', { address, power: String(ev.power), reason: 'double_sign', burned_coins: `${burned}${this.staking.bondDenom(ctx.store)}` });
    if (!validator.jailed) {
      this.staking.jail(ctx, ev.address);
      ctx.events.emit('slash', { jailed: address });
    }
    info.jailedUntil = toProtoTime(DOUBLE_SIGN_JAIL_END);
    info.tombstoned = true;
    this.setSigningInfo(ctx.store, ev.address, info);
  }

  /** MsgUnjail: the SDK's Unjail checks, in its order. */
  unjail(ctx: Context, operator: string): void {
    const validator = this.staking.getValidator(ctx.store, operator);
    if (!validator) throw ErrNoValidatorForAddress();
    const selfShares = this.staking.getDelegation(ctx.store, operatorAccount(operator), operator);
    if (selfShares === undefined) throw ErrMissingSelfDelegation();
    if (tokensFromShares(validator, selfShares) < validator.minSelfDelegation) throw ErrSelfDelegationTooLowToUnjail();
    if (!validator.jailed) throw ErrValidatorNotJailed();
    const consAddress = validatorAddress(validator.consensusPubkey);
    const info = this.signingInfo(ctx.store, consAddress);
    if (info) {
      if (info.tombstoned) throw ErrValidatorJailed('validator is tombstoned');
      if (compareTime(ctx.block.time, fromProtoTime(info.jailedUntil)) < 0) throw ErrValidatorJailed(`validator is jailed until ${fromProtoTime(info.jailedUntil).seconds}`);
    }
    this.staking.unjail(ctx, consAddress);
  }
}
