import { toHex } from '@trucom/crypto';
import { PREFIX, dbKey, heightKey, prefixEnd, type Batch, type ChainDB } from '../db.js';
import type { ValidatorUpdate } from '../app/module.js';
import { makeValidator, type ValidatorInfo } from './validator-set.js';

const SET_PREFIX = dbKey(PREFIX.meta, 'valset/');

interface StoredSet {
  readonly from: number;
  readonly validators: { publicKey: string; power: number; name: string }[];
}

/** CometBFT's order: voting power descending, then address ascending. The set hash depends on it. */
function sortValidators(validators: ValidatorInfo[]): ValidatorInfo[] {
  return validators.sort((a, b) => b.votingPower - a.votingPower || Buffer.compare(a.address, b.address));
}

/**
 * Which validators decide each height. A block's validator updates apply two heights later (the
 * set for H+2 is fixed once H is committed), so a block's header already names the next set.
 * Only changes are stored (`m/valset/<from height>`); the history stays in memory, where a lookup
 * for any height is synchronous.
 */
export class ValidatorSetHistory {
  private constructor(private readonly sets: { from: number; validators: readonly ValidatorInfo[] }[]) {}

  static async open(db: ChainDB, genesis: readonly ValidatorInfo[]): Promise<ValidatorSetHistory> {
    const sets = [{ from: 1, validators: sortValidators([...genesis]) }];
    for await (const value of db.values({ gte: SET_PREFIX, lt: prefixEnd(SET_PREFIX) })) {
      const stored = JSON.parse(Buffer.from(value).toString()) as StoredSet;
      sets.push({
        from: stored.from,
        validators: stored.validators.map((v) => makeValidator(Buffer.from(v.publicKey, 'hex'), v.power, v.name)),
      });
    }
    return new ValidatorSetHistory(sets);
  }

  /** The set that signs blocks at `height` (heights up to the last committed + 2 are known). */
  at(height: number): readonly ValidatorInfo[] {
    for (let i = this.sets.length - 1; i >= 0; i--) if (this.sets[i]!.from <= height) return this.sets[i]!.validators;
    return this.sets[0]!.validators;
  }

  /**
   * After block `height`: applies its updates to the set of `height + 1`, giving the set of
   * `height + 2`, and writes it to the batch if it changed. `record` is called once the batch is durable.
   */
  stage(batch: Batch, height: number, updates: readonly ValidatorUpdate[]): { record(): void } | undefined {
    if (updates.length === 0) return undefined;
    const byKey = new Map(this.at(height + 1).map((v) => [toHex(v.publicKey), v]));
    for (const u of updates) {
      const key = toHex(u.publicKey);
      if (u.power <= 0) byKey.delete(key);
      else byKey.set(key, makeValidator(u.publicKey, u.power, byKey.get(key)?.name ?? ''));
    }
    const validators = sortValidators([...byKey.values()]);
    if (validators.length === 0) throw new Error(`block ${height} would leave no validators`);
    const from = height + 2;
    const stored: StoredSet = { from, validators: validators.map((v) => ({ publicKey: toHex(v.publicKey), power: v.votingPower, name: v.name })) };
    batch.put(Buffer.concat([SET_PREFIX, Buffer.from(heightKey(from))]), Buffer.from(JSON.stringify(stored)));
    return { record: () => this.sets.push({ from, validators }) };
  }
}
