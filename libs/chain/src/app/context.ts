import type { EventManager } from './events.js';
import type { GasMeter } from '../state/gas.js';
import type { IterableKVStore, KVStore } from '../state/kv-store.js';

export interface Timestamp {
  readonly seconds: number;
  readonly nanos: number;
}

/** The block being executed: the only source of time and entropy a contract may use. */
export interface BlockInfo {
  readonly chainId: string;
  readonly height: number;
  readonly time: Timestamp;
  readonly proposer: Uint8Array;
  /**
   * The block's header hash (CometBFT's RequestFinalizeBlock.hash) while a decided block executes;
   * absent in CheckTx, simulation and queries. Modules draw per-block randomness from it.
   */
  readonly hash?: Uint8Array;
}

/**
 * check: mempool admission (ante only); recheck: re-admission after a commit; simulate: gas estimate
 * (no signature checks, no fee floor); deliver: execution in a block; system: genesis and block hooks.
 */
export type ExecMode = 'check' | 'recheck' | 'simulate' | 'deliver' | 'system';

/** Everything a message handler may touch. */
export interface Context {
  readonly block: BlockInfo;
  readonly mode: ExecMode;
  readonly store: KVStore;
  readonly gas: GasMeter;
  readonly events: EventManager;
}

export interface QueryContext {
  readonly store: IterableKVStore;
  readonly height: number;
}
