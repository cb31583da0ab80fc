import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { asChainError, ChainError, ErrTxTooLarge, ErrUnknownRequest } from '../errors.js';
import { decodeTx, type DecodedTx } from '../tx/decode.js';
import { txHash } from '../block/types.js';
import type { SignatureCache, SignatureCheck } from '../tx/signatures.js';
import { CacheKVStore, type ReadonlyKVStore } from '../state/kv-store.js';
import { GasKVStore, GasMeter, infiniteGasMeter } from '../state/gas.js';
import type { CommittedState } from '../state/committed-state.js';
import type { Batch } from '../db.js';
import { DiscardedEvents, EventManager, type Event } from './events.js';
import type { BlockInfo, Context, ExecMode, QueryContext } from './context.js';
import type { AnteHandler, BlockConsensusInfo, Module, MsgHandler, QueryHandler, ResolvedMsg, SignatureVerifier, ValidatorUpdate } from './module.js';
import { bytesKey } from '@trucom/crypto';

export interface TxResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly data: Uint8Array;
  readonly gasWanted: number;
  readonly gasUsed: number;
  readonly events: Event[];
}

export interface CheckTxResult extends TxResult {
  readonly tx?: DecodedTx;
  /** Fee paid per unit of gas (utru), the mempool's priority. */
  readonly priority: bigint;
}

/** A decoded tx with its messages resolved to handlers and its required signers. */
export interface PreparedTx {
  readonly tx: DecodedTx;
  readonly msgs: ResolvedMsg[];
  readonly signers: string[];
}

export interface BlockToExecute extends BlockInfo {
  readonly txs: readonly Uint8Array[];
  readonly consensus?: BlockConsensusInfo;
}

export interface FinalizeBlockResult {
  readonly txResults: TxResult[];
  /** SHA-256 of each tx's bytes, in block order. */
  readonly txHashes: Uint8Array[];
  readonly events: Event[];
  readonly appHash: Uint8Array;
  /** Validator-set changes decided by this block (take effect at height + 2). */
  readonly validatorUpdates: ValidatorUpdate[];
  /** Txs whose signatures were not verified at admission here, and how long the block waited for them. */
  readonly verification: { readonly unseenTxs: number; readonly waitMs: number };
}

export interface QueryResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly value: Uint8Array;
  readonly height: number;
}

export interface ApplicationConfig {
  readonly chainId: string;
  readonly modules: readonly Module[];
  readonly ante: AnteHandler;
  /** Which signatures a tx needs, computed from state without verifying (to verify off-thread first). */
  readonly signatureChecks: (store: ReadonlyKVStore, chainId: string, tx: DecodedTx, signers: readonly string[]) => SignatureCheck[];
  readonly signatures: SignatureCache;
  readonly maxTxBytes: number;
  /** Fee priority of a tx that passed the ante handler. */
  readonly priority: (tx: DecodedTx) => bigint;
}

export const SIMULATE_PATH = '/cosmos.tx.v1beta1.Service/Simulate';
const acceptAll: SignatureVerifier = () => true;
const PREPARED_CACHE_LIMIT = 50_000;

/**
 * The boundary between consensus and the ledger (what ABCI is to CometBFT): consensus hands it
 * transactions to check, decided blocks to execute and then commit; clients query it. It owns the
 * state checkpoints: a check state for the mempool, and a block state while a block executes.
 */
export class Application {
  private readonly handlers = new Map<string, MsgHandler>();
  private readonly queries = new Map<string, QueryHandler>();
  private checkState: CacheKVStore;
  private readonly prepared = new Map<string, PreparedTx>();
  private readonly prefetched = new WeakSet<PreparedTx>();
  /**
   * The executed block until it is committed. Its txs stay in the caches until then: an admission
   * of one of them that runs while the block is being written still finds its signature checked.
   */
  private pending: { height: number; changes: ReadonlyMap<string, Uint8Array | null>; delivered: readonly DecodedTx[] } | undefined;

  constructor(
    private readonly config: ApplicationConfig,
    private readonly state: CommittedState,
  ) {
    for (const m of config.modules) {
      for (const h of m.msgs ?? []) this.handlers.set(h.typeUrl, h);
      for (const [path, q] of Object.entries(m.queries ?? {})) this.queries.set(path, q);
    }
    this.checkState = new CacheKVStore(state);
  }

  get chainId(): string {
    return this.config.chainId;
  }

  info(): { height: number; appHash: Uint8Array } {
    return { height: this.state.height, appHash: this.state.appHash };
  }

  /** Runs every module's genesis on an empty state; commit() then persists it as height 0. */
  initChain(genesis: { time: BlockInfo['time']; appState: Record<string, unknown> }): Uint8Array {
    if (this.state.height !== 0 || this.state.appHash.some((b) => b !== 0)) throw new Error('chain already initialised');
    const store = new CacheKVStore(this.state);
    const ctx = this.systemContext(store, { chainId: this.chainId, height: 0, time: genesis.time, proposer: new Uint8Array(20) });
    for (const m of this.config.modules) m.initGenesis?.(ctx, genesis.appState[m.name]);
    this.pending = { height: 0, changes: new Map(store.changes()), delivered: [] };
    return this.state.stage(this.pending.changes);
  }

  /**
   * First half of mempool admission, safe to run concurrently: decode the tx and verify its
   * signatures off-thread. `checkTx` then runs the ante handler against the check state; callers
   * run that half in arrival order so a sender's txs are checked in sequence order.
   */
  async prepareCheck(raw: Uint8Array, hash?: Uint8Array): Promise<PreparedTx | ChainError> {
    try {
      const prepared = this.prepare(raw, hash);
      await this.config.signatures.prefetch(this.config.signatureChecks(this.checkState, this.chainId, prepared.tx, prepared.signers));
      this.prefetched.add(prepared);
      return prepared;
    } catch (err) {
      return asChainError(err);
    }
  }

  /** Mempool admission (check) or re-admission after a commit (recheck) against the check state. */
  checkTx(prepared: PreparedTx | ChainError | Uint8Array, mode: 'check' | 'recheck', block: BlockInfo): CheckTxResult {
    let p: PreparedTx | ChainError;
    try {
      p = prepared instanceof Uint8Array ? this.prepare(prepared) : prepared;
    } catch (err) {
      p = asChainError(err);
    }
    if (p instanceof ChainError) return checkTxResult(failure(p, 0, 0, []), undefined, 0n);
    // A recheck skips the signatures, as the Cosmos SDK's does: they were verified at admission over
    // sign bytes that depend only on the tx, the chain and the account number, none of which change.
    const verify = mode === 'recheck' ? acceptAll : this.config.signatures.verify;
    const result = this.runTx(mode, p.tx, p.msgs, p.signers, this.checkState, block, verify);
    if (result.code !== 0) this.forget(p.tx);
    return checkTxResult(result, p.tx, result.code === 0 ? this.config.priority(p.tx) : 0n);
  }

  /** Gas estimate for a tx whose signatures are not checked (cosmjs sends empty ones). */
  simulate(raw: Uint8Array, block: BlockInfo): TxResult {
    try {
      const { tx, msgs, signers } = this.decodeAndResolve(raw, txHash(raw));
      return this.runTx('simulate', tx, msgs, signers, new CacheKVStore(this.checkState), block, acceptAll);
    } catch (err) {
      return failure(asChainError(err), 0, 0, []);
    }
  }

  /** Executes a decided block. State changes stay pending until commit(). */
  async finalizeBlock(block: BlockToExecute): Promise<FinalizeBlockResult> {
    const store = new CacheKVStore(this.state);
    const txHashes = block.txs.map(txHash);
    const prepared = block.txs.map((raw, i) => {
      try {
        return this.prepare(raw, txHashes[i]);
      } catch (err) {
        return asChainError(err);
      }
    });
    // Txs that went through our CheckTx already have their signatures in the cache.
    const unseen = prepared.filter((p): p is PreparedTx => !(p instanceof ChainError) && !this.prefetched.has(p));
    const checks = unseen.flatMap((p) => this.config.signatureChecks(this.state, this.chainId, p.tx, p.signers));
    const waitFrom = performance.now();
    await this.config.signatures.prefetch(checks, { urgent: true });
    const verification = { unseenTxs: unseen.length, waitMs: Math.round(performance.now() - waitFrom) };

    const blockCtx = this.systemContext(store, block);
    const consensus = block.consensus ?? { lastCommit: [], misbehavior: [] };
    for (const m of this.config.modules) m.beginBlock?.(blockCtx, consensus);
    const txResults = prepared.map((p) =>
      p instanceof ChainError ? failure(p, 0, 0, []) : this.runTx('deliver', p.tx, p.msgs, p.signers, store, block, this.config.signatures.verify),
    );
    const validatorUpdates: ValidatorUpdate[] = [];
    for (const m of this.config.modules) validatorUpdates.push(...(m.endBlock?.(blockCtx) ?? []));
    const delivered = prepared.filter((p): p is PreparedTx => !(p instanceof ChainError)).map((p) => p.tx);
    this.pending = { height: block.height, changes: new Map(store.changes()), delivered };
    return { txResults, txHashes, events: blockCtx.events.events, appHash: this.state.stage(this.pending.changes), validatorUpdates, verification };
  }

  /** Adds the executed block's state to the batch; then call committed(). */
  commit(batch: Batch): void {
    if (!this.pending) throw new Error('no block to commit');
    this.state.commit(batch, this.pending.height);
  }

  /**
   * The committed state moves on and the mempool's check state restarts from it. The batch may still
   * be being written; call written() once it is on disk.
   */
  committed(): void {
    this.state.committed(this.pending!.height);
    for (const tx of this.pending!.delivered) this.forget(tx);
    this.pending = undefined;
    this.checkState = new CacheKVStore(this.state);
  }

  written(): void {
    this.state.written();
  }

  async query(path: string, data: Uint8Array, block: BlockInfo): Promise<QueryResult> {
    const height = this.state.height;
    try {
      if (path === SIMULATE_PATH) return { code: 0, codespace: '', log: '', value: this.simulateQuery(data, block), height };
      const handler = this.queries.get(path);
      if (!handler) throw ErrUnknownRequest(`no query handler for path ${path}`);
      const ctx: QueryContext = { store: this.state, height };
      return { code: 0, codespace: '', log: '', value: await handler(ctx, data), height };
    } catch (err) {
      const e = asChainError(err);
      return { code: e.code, codespace: e.codespace, log: e.message, value: new Uint8Array(), height };
    }
  }

  /** Runs every module's invariants over the committed state; returns the broken ones. */
  async brokenInvariants(): Promise<string[]> {
    const ctx: QueryContext = { store: this.state, height: this.state.height };
    const broken: string[] = [];
    for (const m of this.config.modules) {
      for (const [name, check] of Object.entries(m.invariants ?? {})) {
        const problem = await check(ctx);
        if (problem) broken.push(`${m.name}/${name}: ${problem}`);
      }
    }
    return broken;
  }

  private simulateQuery(data: Uint8Array, block: BlockInfo): Uint8Array {
    const req = SimulateRequest.decode(data);
    const raw = req.txBytes.length > 0 ? req.txBytes : req.tx ? Tx.encode(req.tx).finish() : new Uint8Array();
    const result = this.simulate(raw, block);
    if (result.code !== 0) throw new ChainError(result.codespace, result.code, result.log);
    return SimulateResponse.encode({
      gasInfo: { gasWanted: BigInt(result.gasWanted), gasUsed: BigInt(result.gasUsed) },
      result: {
        data: new Uint8Array(),
        log: '',
        events: result.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ ...a })) })),
        msgResponses: TxMsgData.decode(result.data).msgResponses,
      },
    }).finish();
  }

  /**
   * Decodes a tx and resolves its messages. Pure in the bytes, so the result is cached by tx hash:
   * a tx is prepared once for CheckTx and reused by recheck and by block execution.
   */
  private prepare(raw: Uint8Array, hash: Uint8Array = txHash(raw)): PreparedTx {
    const id = bytesKey(hash);
    const cached = this.prepared.get(id);
    if (cached) return cached;
    const prepared = this.decodeAndResolve(raw, hash);
    if (this.prepared.size >= PREPARED_CACHE_LIMIT) this.prepared.delete(this.prepared.keys().next().value!);
    this.prepared.set(id, prepared);
    return prepared;
  }

  /**
   * A tx that failed its check or went into a block is never needed again in decoded form (a
   * resubmission is decoded afresh): dropping it keeps the caches the size of the mempool.
   */
  private forget(tx: DecodedTx): void {
    this.prepared.delete(bytesKey(tx.hash));
    this.config.signatures.forget(tx.signatures);
  }

  private decodeAndResolve(raw: Uint8Array, hash: Uint8Array): PreparedTx {
    if (raw.length > this.config.maxTxBytes) throw ErrTxTooLarge(`tx of ${raw.length} bytes exceeds the maximum of ${this.config.maxTxBytes}`);
    const tx = decodeTx(raw, hash);
    const signers: string[] = [];
    const msgs = tx.messages.map((any) => {
      const handler = this.handlers.get(any.typeUrl);
      if (!handler) throw ErrUnknownRequest(`unrecognized message type ${JSON.stringify(any.typeUrl)}`);
      let msg: unknown;
      try {
        msg = handler.decode(any.value);
      } catch (err) {
        throw asChainError(err).code === 111222 ? new ChainError('sdk', 2, 'tx parse error', `cannot decode ${any.typeUrl}`) : err;
      }
      handler.validate?.(msg);
      for (const s of handler.signers(msg)) if (!signers.includes(s)) signers.push(s);
      return { handler, msg };
    });
    return { tx, msgs, signers };
  }

  /**
   * One tx: the ante handler in its own checkpoint (fee and sequence survive a failing message), then
   * the messages atomically. Check and recheck stop after the ante handler, as in the Cosmos SDK.
   */
  private runTx(mode: ExecMode, tx: DecodedTx, msgs: ResolvedMsg[], signers: string[], parent: CacheKVStore, block: BlockInfo, verify: SignatureVerifier): TxResult {
    const gasWanted = Number(tx.authInfo.fee?.gasLimit ?? 0n);
    const gas = mode === 'simulate' ? infiniteGasMeter() : new GasMeter(gasWanted);
    const events = mode === 'check' || mode === 'recheck' ? new DiscardedEvents() : new EventManager();
    const anteStore = new CacheKVStore(parent);
    try {
      this.config.ante({ block, mode, store: new GasKVStore(anteStore, gas), gas, events }, tx, signers, verify);
    } catch (err) {
      return failure(asChainError(err), gasWanted, gas.consumed, []);
    }
    anteStore.write();
    if (mode === 'check' || mode === 'recheck') return { code: 0, codespace: '', log: '', data: new Uint8Array(), gasWanted, gasUsed: gas.consumed, events: events.events };

    const anteEvents = events.events.length;
    const msgStore = new CacheKVStore(parent);
    const ctx: Context = { block, mode, store: new GasKVStore(msgStore, gas), gas, events };
    const responses = [];
    try {
      for (const [i, { handler, msg }] of msgs.entries()) {
        const from = events.events.length;
        events.emit('message', { action: handler.typeUrl, sender: handler.signers(msg)[0] ?? '', module: moduleOf(handler.typeUrl) });
        responses.push(handler.execute(ctx, msg));
        events.tagSince(from, 'msg_index', String(i));
      }
    } catch (err) {
      const e = asChainError(err);
      return failure(e, gasWanted, gas.consumed, events.events.slice(0, anteEvents), msgs.length > 1 ? 'failed to execute message; ' : '');
    }
    msgStore.write();
    const data = TxMsgData.encode(TxMsgData.fromPartial({ msgResponses: responses })).finish();
    return { code: 0, codespace: '', log: '', data, gasWanted, gasUsed: gas.consumed, events: events.events };
  }

  private systemContext(store: CacheKVStore, block: BlockInfo): Context {
    return { block, mode: 'system', store, gas: infiniteGasMeter(), events: new EventManager() };
  }
}

/**
 * A tx result with the check-only fields, copied field by field: V8 gives every object built as
 * `{ ...result, more }` a hidden class of its own (about 1.5 µs, and a map kept alive with the
 * object), once per admitted tx here.
 */
export function checkTxResult(r: TxResult, tx: DecodedTx | undefined, priority: bigint): CheckTxResult {
  return { code: r.code, codespace: r.codespace, log: r.log, data: r.data, gasWanted: r.gasWanted, gasUsed: r.gasUsed, events: r.events, tx, priority };
}

function failure(e: ChainError, gasWanted: number, gasUsed: number, events: Event[], prefix = ''): TxResult {
  return { code: e.code, codespace: e.codespace, log: prefix + e.message, data: new Uint8Array(), gasWanted, gasUsed, events };
}

/** "/cosmos.bank.v1beta1.MsgSend" → "bank"; "/trucom.market.v1.MsgCreateDeal" → "market". */
function moduleOf(typeUrl: string): string {
  return typeUrl.split('.').at(-3) ?? '';
}
