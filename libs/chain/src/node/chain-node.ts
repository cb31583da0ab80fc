import { sha256, toUpperHex } from '@trucom/crypto';
import { PREFIX, dbKey, writeDurably, type BlockEffects, type ChainDB } from '../db.js';
import type { Application, FinalizeBlockResult } from '../app/application.js';
import type { BlockInfo, Timestamp } from '../app/context.js';
import { BlockStore } from '../block/block-store.js';
import { TxIndex } from '../block/tx-index.js';
import {
  Block,
  BlockResults as BlockResultsProto,
  ExecTxResult as ExecTxResultProto,
  BLOCK_PROTOCOL,
  toTimestamp,
  BlockIDFlag,
  type Commit,
  commitHash,
  dataHash,
  headerHash,
  resultsHash,
  txHash,
  type BlockID,
  type BlockResults,
  type ExecTxResult,
} from '../block/types.js';
import { Mempool, type MempoolConfig } from '../mempool/mempool.js';
import { merkleRoot } from '../block/merkle.js';
import { verifyCommit } from '../block/commit-verify.js';
import { DuplicateVoteEvidence, evidenceKey, verifyDuplicateVote } from '../block/evidence.js';
import type { BlockConsensusInfo, Misbehavior } from '../app/module.js';
import { validatorsHash, type ValidatorInfo } from './validator-set.js';
import { ValidatorSetHistory } from './validator-sets.js';

const META_GENESIS_DONE = dbKey(PREFIX.meta, 'genesis_done');
/** How far ahead of our clock a live proposal's time may be. */
const MAX_CLOCK_DRIFT_MS = 10_000;

function bytesEq(a: Uint8Array | null | undefined, b: Uint8Array | null | undefined): boolean {
  return Buffer.compare(a ?? new Uint8Array(), b ?? new Uint8Array()) === 0;
}

export interface GenesisState {
  readonly chainId: string;
  readonly time: Timestamp;
  readonly validators: readonly ValidatorInfo[];
  readonly appState: Record<string, unknown>;
}

export interface CommittedBlock {
  readonly block: Block;
  readonly blockId: BlockID;
  readonly commit: Commit;
  readonly results: BlockResults;
  readonly txHashes: string[];
}

/** Wall-clock phases of one commitBlock, in ms (they include whatever else the event loop ran meanwhile). */
export interface CommitTimings {
  /** Waiting for the last block's effects to be written. */
  readonly effectsWaitMs: number;
  /** finalizeBlock, including the wait for signatures not verified at admission. */
  readonly executeMs: number;
  readonly unseenTxs: number;
  readonly signatureWaitMs: number;
  /** Putting the block's state changes into its effects batch. */
  readonly storeMs: number;
  /** Waiting for the block's own batch (written during execution) to be durable. */
  readonly writeMs: number;
  /** Dropping the committed txs from the mempool and rechecking the rest. */
  readonly recheckMs: number;
  readonly mempoolTxs: number;
}

/** A block run but not yet the last one: what advance() needs. */
interface Executed {
  readonly committed: CommittedBlock;
  readonly txHashes: readonly Uint8Array[];
  readonly effects: BlockEffects;
  readonly setChange: { record(): void } | undefined;
  readonly verification: { unseenTxs: number; waitMs: number };
  readonly executedAt: number;
}

export interface ChainNodeOptions {
  readonly db: ChainDB;
  readonly app: Application;
  readonly genesis: GenesisState;
  readonly mempool?: Partial<MempoolConfig>;
  /** Block limits from the genesis consensus params. */
  readonly maxBlockBytes?: number;
  readonly maxBlockGas?: number;
}

/**
 * Told of every committed block once the block is on disk (its results, tx index and state ranges
 * can be read at once: those reads wait for their write); a returned promise holds the next block
 * back until it settles.
 */
type Listener = (block: CommittedBlock) => void | Promise<void>;

/**
 * A node's chain: the application, mempool, block store and tx index, moved forward one decided
 * block at a time. Consensus decides *which* block; this executes, persists (two fsynced batches
 * per block, see commitBlock) and announces it. It never decides anything itself.
 */
export class ChainNode {
  readonly mempool: Mempool;
  readonly txIndex: TxIndex;
  private readonly listeners = new Set<Listener>();
  private readonly txListeners = new Set<(raw: Uint8Array) => void>();
  /**
   * The last committed block, without its tx results (they are in the tx index; only their hash is
   * needed here): a block's events are the largest share of what outlives V8's young generation
   * under load, and holding them until the next block kept them alive a whole block time longer.
   */
  private latest: CommittedBlock | undefined;
  private lastResultsHash = resultsHash([]);
  /** The last block's effects being written, and its listeners (see commitBlock). */
  private effectsWritten: Promise<void> = Promise.resolve();
  private readonly consensusHash: Uint8Array;
  private readonly setHashes = new WeakMap<readonly ValidatorInfo[], Uint8Array>();

  private constructor(
    private readonly options: ChainNodeOptions,
    readonly blocks: BlockStore,
    private readonly sets: ValidatorSetHistory,
  ) {
    this.mempool = new Mempool(options.app, { maxTxs: 20_000, maxBytes: 64 * 1024 * 1024, ...options.mempool });
    this.txIndex = new TxIndex(options.db);
    this.consensusHash = sha256(Buffer.from(JSON.stringify({ maxBlockBytes: options.maxBlockBytes ?? null, maxBlockGas: options.maxBlockGas ?? null })));
  }

  private timings: CommitTimings | undefined;

  static async open(options: ChainNodeOptions): Promise<ChainNode> {
    const blocks = await BlockStore.open(options.db);
    const node = new ChainNode(options, blocks, await ValidatorSetHistory.open(options.db, options.genesis.validators));
    if (!(await options.db.get(META_GENESIS_DONE))) await node.initGenesis();
    await node.executeStoredBlock();
    await node.loadLatest();
    return node;
  }

  private get maxBlockBytes(): number {
    return this.options.maxBlockBytes ?? 21 * 1024 * 1024;
  }

  get app(): Application {
    return this.options.app;
  }

  get chainId(): string {
    return this.options.genesis.chainId;
  }

  get genesis(): GenesisState {
    return this.options.genesis;
  }

  /** The validators deciding the next block. */
  get validators(): readonly ValidatorInfo[] {
    return this.sets.at(this.height + 1);
  }

  /** The validator set of any height up to the last committed + 2. */
  validatorsAt(height: number): readonly ValidatorInfo[] {
    return this.sets.at(height);
  }

  private setHash(height: number): Uint8Array {
    const set = this.sets.at(height);
    let hash = this.setHashes.get(set);
    if (!hash) this.setHashes.set(set, (hash = validatorsHash(set)));
    return hash;
  }

  get height(): number {
    return this.blocks.height;
  }

  /** Where the last commitBlock spent its time (for logs: under load this is most of a height). */
  get lastCommitTimings(): CommitTimings | undefined {
    return this.timings;
  }

  /** The last committed block; its `results.txResults` is empty (see `latest`). */
  get latestBlock(): CommittedBlock | undefined {
    return this.latest;
  }

  onBlock(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The context CheckTx and queries run in: the next height, at the last block's time. */
  nextBlockInfo(): BlockInfo {
    const header = this.latest?.block.header;
    return {
      chainId: this.chainId,
      height: this.height + 1,
      time: header?.time ? toTimestamp(header.time) : this.options.genesis.time,
      proposer: header?.proposerAddress ?? new Uint8Array(20),
    };
  }

  /**
   * Mempool admission. Txs from this node's clients (`local`) that pass are announced to
   * `onLocalTx` listeners (gossip); txs relayed by peers are not announced again.
   */
  async submitTx(raw: Uint8Array, origin: 'local' | 'peer' = 'local') {
    const result = await this.mempool.add(raw, this.nextBlockInfo(), origin);
    if (result.code === 0 && origin === 'local') for (const l of this.txListeners) l(raw);
    return result;
  }

  onLocalTx(listener: (raw: Uint8Array) => void): () => void {
    this.txListeners.add(listener);
    return () => this.txListeners.delete(listener);
  }

  /** CometBFT's MakeBlock: the next block's header from the last committed one, with mempool txs. */
  /**
   * `lastCommit` may carry more precommits for the last block than the commit stored with it
   * (consensus keeps collecting late ones); it must still prove the last block.
   */
  proposeBlock(proposer: Uint8Array, time: Timestamp, evidence: readonly Uint8Array[] = [], lastCommit?: Commit): Block {
    const prev = this.latest;
    const height = this.height + 1;
    const txs = this.mempool.reap(this.maxBlockBytes, this.options.maxBlockGas ?? -1);
    lastCommit ??= prev?.commit ?? ({ height: 0, round: 0, signatures: [] } as unknown as Commit);
    const header = {
      version: { block: BLOCK_PROTOCOL, app: 0 },
      chainId: this.chainId,
      height,
      time,
      lastBlockId: prev?.blockId ?? { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } },
      lastCommitHash: commitHash(lastCommit),
      dataHash: dataHash(txs),
      validatorsHash: this.setHash(height),
      nextValidatorsHash: this.setHash(height + 1),
      consensusHash: this.consensusHash,
      appHash: this.app.info().appHash,
      lastResultsHash: this.lastResultsHash,
      evidenceHash: merkleRoot([...evidence]),
      proposerAddress: proposer,
    };
    return Block.create({ header, data: { txs }, evidence: { evidence: [...evidence] }, lastCommit });
  }

  /**
   * Is `block` a valid next block? Its header must be exactly what this node would build on its last
   * block (except time, txs, evidence and proposer, which are checked separately), its last commit
   * must prove the previous block, and its evidence must be valid. `now` (ms) bounds the time of
   * live proposals; blocks from block sync are checked without it. Returns what is wrong, or undefined.
   */
  checkBlock(block: Block, { now }: { now?: number } = {}): string | undefined {
    const h = block.header;
    if (!h) return 'block has no header';
    const height = this.height + 1;
    const prev = this.latest;
    if (Number(h.height) !== height) return `block height ${h.height}, expected ${height}`;
    if (h.chainId !== this.chainId) return `block is for chain ${JSON.stringify(h.chainId)}`;
    if (Number(h.version?.block ?? 0) !== BLOCK_PROTOCOL) return `block protocol ${h.version?.block}, expected ${BLOCK_PROTOCOL}`;
    const lastCommit = block.lastCommit ?? { height: 0, round: 0, signatures: [] };
    const expectedLastId = prev?.blockId.hash ?? new Uint8Array();
    if (!bytesEq(h.lastBlockId?.hash, expectedLastId)) return 'last block id does not match our last block';
    if (prev) {
      const problem = verifyCommit(this.chainId, this.sets.at(height - 1), height - 1, prev.blockId, lastCommit);
      if (problem) return `last commit: ${problem}`;
    } else if ((lastCommit.signatures ?? []).length > 0) return 'the first block has no last commit';
    if (!bytesEq(h.lastCommitHash, commitHash(lastCommit))) return 'last commit hash mismatch';
    const txs = block.data?.txs ?? [];
    const size = txs.reduce((n, tx) => n + tx.length, 0);
    if (size > this.maxBlockBytes) return `block txs take ${size} bytes, more than the maximum ${this.maxBlockBytes}`;
    if (!bytesEq(h.dataHash, dataHash(txs))) return 'data hash mismatch';
    if (!bytesEq(h.validatorsHash, this.setHash(height))) return 'validators hash mismatch';
    if (!bytesEq(h.nextValidatorsHash, this.setHash(height + 1))) return 'next validators hash mismatch';
    if (!bytesEq(h.consensusHash, this.consensusHash)) return 'consensus params hash mismatch';
    if (!bytesEq(h.appHash, this.app.info().appHash)) return 'app hash mismatch';
    if (!bytesEq(h.lastResultsHash, this.lastResultsHash)) return 'last results hash mismatch';
    const evidence = block.evidence?.evidence ?? [];
    if (!bytesEq(h.evidenceHash, merkleRoot([...evidence]))) return 'evidence hash mismatch';
    if (!this.sets.at(height).some((v) => bytesEq(v.address, h.proposerAddress))) return 'proposer is not a validator';
    const time = toTimestamp(h.time);
    const prevTime = prev ? toTimestamp(prev.block.header!.time) : this.options.genesis.time;
    if (time.seconds < prevTime.seconds || (time.seconds === prevTime.seconds && time.nanos <= prevTime.nanos)) return 'block time is not after the last block';
    if (now !== undefined && time.seconds * 1000 > now + MAX_CLOCK_DRIFT_MS) return 'block time is too far in the future';
    const keys = new Set<string>();
    for (const bytes of evidence) {
      const found = this.decodeEvidence(bytes, height);
      if (typeof found === 'string') return `evidence: ${found}`;
      if (keys.has(found.key)) return 'evidence: duplicate';
      keys.add(found.key);
    }
    return undefined;
  }

  /** Decodes and verifies one piece of evidence against the set of its height. */
  decodeEvidence(bytes: Uint8Array, atHeight: number = this.height + 1): { key: string; misbehavior: Misbehavior } | string {
    let ev: DuplicateVoteEvidence;
    try {
      ev = DuplicateVoteEvidence.decode(bytes);
    } catch {
      return 'malformed';
    }
    const evHeight = Number(ev.voteA?.height ?? 0);
    if (evHeight < 1 || evHeight >= atHeight) return `evidence height ${evHeight} is not before ${atHeight}`;
    const result = verifyDuplicateVote(this.chainId, ev, this.sets.at(evHeight));
    return typeof result === 'string' ? result : { key: evidenceKey(ev), misbehavior: result };
  }

  /** Who signed the last block (from this block's last commit) and who is proven to have double-signed. */
  private consensusInfo(block: Block, height: number): BlockConsensusInfo {
    const signers = new Set((block.lastCommit?.signatures ?? []).filter((s) => s.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT).map((s) => Buffer.from(s.validatorAddress ?? []).toString('hex')));
    const lastCommit = height > 1 ? this.sets.at(height - 1).map((v) => ({ address: v.address, power: v.votingPower, signed: signers.has(Buffer.from(v.address).toString('hex')) })) : [];
    const misbehavior = (block.evidence?.evidence ?? []).flatMap((bytes) => {
      const found = this.decodeEvidence(bytes, height);
      return typeof found === 'string' ? [] : [found.misbehavior];
    });
    return { lastCommit, misbehavior };
  }

  /**
   * Executes a decided block and commits it in two batches. The block with its commit is written
   * (during execution) and waited for: from then on a crash cannot lose it, since opening the node
   * executes a stored block whose effects are missing. Then listeners hear of it, and consensus
   * moves on to the next height while its effects (state, results, tx index: most of the bytes and
   * of the encoding work) are written behind: the state reads them from memory until then, the
   * other stores wait for them, and the next block waits for them before it executes.
   */
  async commitBlock(block: Block, commit: Commit): Promise<CommittedBlock> {
    const height = Number(block.header!.height);
    if (height !== this.height + 1) throw new Error(`cannot commit block ${height}: next height is ${this.height + 1}`);
    const started = performance.now();
    await this.effectsWritten;
    const blockBatch = this.options.db.blocks.batch();
    this.blocks.save(blockBatch, block, commit);
    const blockWritten = writeDurably(blockBatch);
    blockWritten.catch(() => undefined); // awaited below, after execution (which may throw first)
    const executedFrom = performance.now();
    const executed = await this.execute(block, commit);
    const storedAt = performance.now();
    await blockWritten;
    const writtenAt = performance.now();
    this.advance(executed);
    const recheckedAt = performance.now();
    const ms = (from: number, to: number) => Math.round(to - from);
    this.timings = {
      effectsWaitMs: ms(started, executedFrom),
      executeMs: ms(executedFrom, executed.executedAt),
      unseenTxs: executed.verification.unseenTxs,
      signatureWaitMs: executed.verification.waitMs,
      storeMs: ms(executed.executedAt, storedAt),
      writeMs: ms(storedAt, writtenAt),
      recheckMs: ms(writtenAt, recheckedAt),
      mempoolTxs: this.mempool.size,
    };
    return executed.committed;
  }

  /** Resolves once the last committed block's effects are on disk and its listeners have run. */
  async settled(): Promise<void> {
    await this.effectsWritten;
  }

  /** Runs the block and puts its state changes in a batch; nothing moves on yet. */
  private async execute(block: Block, commit: Commit): Promise<Executed> {
    const header = block.header!;
    const height = Number(header.height);
    const txs = block.data?.txs ?? [];
    const hash = headerHash(header);
    const result = await this.app.finalizeBlock({
      chainId: this.chainId,
      height,
      time: toTimestamp(header.time),
      proposer: header.proposerAddress ?? new Uint8Array(20),
      hash,
      txs,
      consensus: this.consensusInfo(block, height),
    });
    const executedAt = performance.now();
    const results = toBlockResults(height, result);
    const committed: CommittedBlock = { block, blockId: { hash, partSetHeader: { total: 1, hash } }, commit, results, txHashes: result.txHashes.map(toUpperHex) };
    const effects = this.options.db.effectsBatch();
    this.app.commit(effects.main);
    const setChange = this.sets.stage(effects.main, height, result.validatorUpdates);
    return { committed, txHashes: result.txHashes, effects, setChange, verification: result.verification, executedAt };
  }

  /**
   * The executed block (already stored) becomes the last one and listeners hear of it. Its results
   * and tx index (most of the encoding work) are added to the effects batch once the caller has
   * moved on, and the batch is written behind.
   */
  private advance({ committed, txHashes, effects, setChange }: Executed): void {
    const height = Number(committed.block.header!.height);
    this.app.committed();
    setChange?.record();
    this.blocks.saved(height);
    this.latest = withoutTxResults(committed);
    this.lastResultsHash = resultsHash(committed.results.txResults);
    const filled = new Promise<BlockEffects>((resolve, reject) =>
      setImmediate(() => {
        try {
          this.blocks.saveResults(effects, committed.blockId, committed.results);
          this.txIndex.index(effects, height, committed.block.data?.txs ?? [], txHashes, committed.results.txResults);
          resolve(effects);
        } catch (err) {
          reject(err);
        }
      }),
    );
    const written = this.options.db.writeBehind(filled).then(() => this.app.written());
    const heard = Promise.all([...this.listeners].map(async (l) => l(committed)));
    this.effectsWritten = Promise.all([written, heard]).then(() => undefined);
    // Marked handled here; a failure surfaces at the next commitBlock (or settled()).
    this.effectsWritten.catch(() => undefined);
    this.mempool.update(committed.txHashes, this.nextBlockInfo(), committed.results.txResults.map((r) => r.code ?? 0));
  }

  /**
   * A crash before a block's effects were all written leaves the block stored and its state
   * missing: execute it again (execution is deterministic, so this gives exactly the effects that were lost).
   */
  private async executeStoredBlock(): Promise<void> {
    const height = this.blocks.height;
    const executedTo = this.app.info().height;
    if (height === executedTo) return;
    if (height !== executedTo + 1) throw new Error(`the block store is at height ${height} but the state at ${executedTo}`);
    const [block, commit] = await Promise.all([this.blocks.block(height), this.blocks.commit(height)]);
    if (!block || !commit) throw new Error(`block store is missing parts of block ${height}`);
    this.advance(await this.execute(block, commit));
    await this.settled();
  }

  private async initGenesis(): Promise<void> {
    const { genesis } = this.options;
    this.app.initChain({ time: genesis.time, appState: genesis.appState });
    const batch = this.options.db.batch();
    this.app.commit(batch);
    batch.put(META_GENESIS_DONE, Uint8Array.of(1));
    await writeDurably(batch);
    this.app.committed();
    this.app.written();
  }

  /**
   * A committed block with its commit and results. Per-tx results live in the tx index and are
   * loaded only when asked for (`withTxResults`); otherwise `results.txResults` is empty.
   */
  async storedBlock(height: number, { withTxResults = false } = {}): Promise<CommittedBlock | undefined> {
    if (!withTxResults && this.latest && Number(this.latest.block.header!.height) === height) return this.latest;
    const [block, commit, results] = await Promise.all([this.blocks.block(height), this.blocks.commit(height), this.blocks.results(height)]);
    if (!block || !commit || !results) return undefined;
    const hashes = (block.data?.txs ?? []).map(txHash);
    if (withTxResults) {
      const records = await Promise.all(hashes.map((h) => this.txIndex.get(h)));
      results.txResults = records.map((r) => r?.result ?? ExecTxResultProto.create({ code: 1, log: 'result not indexed' }));
    }
    const hash = headerHash(block.header!);
    return { block, commit, results, blockId: { hash, partSetHeader: { total: 1, hash } }, txHashes: hashes.map(toUpperHex) };
  }

  private async loadLatest(): Promise<void> {
    const height = this.blocks.height;
    if (height === 0) return;
    const latest = await this.storedBlock(height, { withTxResults: true });
    if (!latest) throw new Error(`block store is missing parts of block ${height}`);
    this.latest = withoutTxResults(latest);
    this.lastResultsHash = resultsHash(latest.results.txResults);
  }
}

function withoutTxResults(committed: CommittedBlock): CommittedBlock {
  return { ...committed, results: BlockResultsProto.create({ ...committed.results, txResults: [] }) };
}

/** Application results already have the protobuf message shapes (events included), so nothing is copied. */
function toBlockResults(height: number, executed: FinalizeBlockResult): BlockResults {
  return BlockResultsProto.create({
    height,
    txResults: executed.txResults satisfies readonly ExecTxResult[],
    finalizeBlockEvents: executed.events,
    appHash: executed.appHash,
  });
}
