import { ErrOutOfGas } from '../errors.js';
import type { KVStore } from './kv-store.js';

/** Gas costs of state access: the Cosmos SDK's KVGasConfig defaults, so fees feel familiar. */
export const KV_GAS = {
  hasCost: 1000,
  deleteCost: 1000,
  readCostFlat: 1000,
  readCostPerByte: 3,
  writeCostFlat: 2000,
  writeCostPerByte: 30,
} as const;

export class GasMeter {
  private used = 0;
  constructor(readonly limit: number) {}

  get consumed(): number {
    return this.used;
  }

  consume(amount: number, descriptor: string): void {
    this.used += amount;
    if (this.used > this.limit) throw ErrOutOfGas(`out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`);
  }
}

/** An infinite meter for work that must not run out (block begin/end, genesis). */
export function infiniteGasMeter(): GasMeter {
  return new GasMeter(Number.MAX_SAFE_INTEGER);
}

/** Charges every state access to a gas meter. */
export class GasKVStore implements KVStore {
  constructor(
    private readonly parent: KVStore,
    private readonly meter: GasMeter,
  ) {}

  get(key: string): Uint8Array | undefined {
    this.meter.consume(KV_GAS.readCostFlat, 'ReadFlat');
    const v = this.parent.get(key);
    this.meter.consume(KV_GAS.readCostPerByte * (key.length + (v?.length ?? 0)), 'ReadPerByte');
    return v;
  }

  has(key: string): boolean {
    this.meter.consume(KV_GAS.hasCost, 'Has');
    return this.parent.has(key);
  }

  set(key: string, value: Uint8Array): void {
    this.meter.consume(KV_GAS.writeCostFlat, 'WriteFlat');
    this.meter.consume(KV_GAS.writeCostPerByte * (key.length + value.length), 'WritePerByte');
    this.parent.set(key, value);
  }

  delete(key: string): void {
    this.meter.consume(KV_GAS.deleteCost, 'Delete');
    this.parent.delete(key);
  }
}
