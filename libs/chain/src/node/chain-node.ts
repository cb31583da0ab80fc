import { sha256, toUpperHex } from '@trucom/crypto';
import { PREFIX, dbKey, writeDurably, type ChainDB } from '../db.js';
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
  commitHash,
  dataHash,
  headerHash,
  resultsHash,
  type BlockID,
  type BlockResults,
  type Commit,
  type ExecTxResult,
} from '../block/types.js';
import { Mempool, type MempoolConfig } from '../mempool/mempool.js';
import { validatorsHash, type ValidatorInfo } from './validator-set.js';

const META_GENESIS_DONE = dbKey(PREFIX.meta, 'genesis_done');

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

export interface ChainNodeOptions {
  readonly db: ChainDB;
  readonly app: Application;
  readonly genesis: GenesisState;
  readonly mempool?: Partial<MempoolConfig>;
  /** Block limits from the genesis consensus params. */
  readonly maxBlockBytes?: number;
  readonly maxBlockGas?: number;
}

/** Told of every committed block; a returned promise holds the next block back until it settles. */
type Listener = (block: CommittedBlock) => void | Promise<void>;

/**
 * A node's chain: the application, mempool, block store and tx index, moved forward one decided
 * block at a time. Consensus decides *which* block; this executes, persists (one atomic, fsynced
 * batch per block) and announces it. It never decides anything itself.
 */
export class ChainNode {
  readonly mempool: Mempool;
  readonly txIndex: TxIndex;
  private readonly listeners = new Set<Listener>();
  private latest: CommittedBlock | undefined;
  /** Header fields fixed for the life of this node (the validator set is static until staking lands). */
  private readonly validatorHash: Uint8Array;
  private readonly consensusHash: Uint8Array;

  private constructor(
    private readonly options: ChainNodeOptions,
    readonly blocks: BlockStore,
  ) {
    this.mempool = new Mempool(options.app, { maxTxs: 20_000, maxBytes: 64 * 1024 * 1024, ...options.mempool });
    this.txIndex = new TxIndex(options.db);
    this.validatorHash = validatorsHash(options.genesis.validators);
    this.consensusHash = sha256(Buffer.from(JSON.stringify({ maxBlockBytes: options.maxBlockBytes ?? null, maxBlockGas: options.maxBlockGas ?? null })));
  }

  static async open(options: ChainNodeOptions): Promise<ChainNode> {
    const blocks = await BlockStore.open(options.db);
    const node = new ChainNode(options, blocks);
    if (!(await options.db.get(META_GENESIS_DONE))) await node.initGenesis();
    await node.loadLatest();
    return node;
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

  get validators(): readonly ValidatorInfo[] {
    return this.options.genesis.validators;
  }

  get height(): number {
    return this.blocks.height;
  }

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

  async submitTx(raw: Uint8Array) {
    return this.mempool.add(raw, this.nextBlockInfo());
  }

  /** CometBFT's MakeBlock: the next block's header from the last committed one, with mempool txs. */
  proposeBlock(proposer: Uint8Array, time: Timestamp): Block {
    const prev = this.latest;
    const height = this.height + 1;
    const txs = this.mempool.reap(this.options.maxBlockBytes ?? 21 * 1024 * 1024, this.options.maxBlockGas ?? -1);
    const lastCommit = prev?.commit ?? { height: 0, round: 0, signatures: [] };
    const header = {
      version: { block: BLOCK_PROTOCOL, app: 0 },
      chainId: this.chainId,
      height,
      time,
      lastBlockId: prev?.blockId ?? { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } },
      lastCommitHash: commitHash(lastCommit),
      dataHash: dataHash(txs),
      validatorsHash: this.validatorHash,
      nextValidatorsHash: this.validatorHash,
      consensusHash: this.consensusHash,
      appHash: this.app.info().appHash,
      lastResultsHash: resultsHash(prev?.results.txResults ?? []),
      evidenceHash: new Uint8Array(),
      proposerAddress: proposer,
    };
    return Block.create({ header, data: { txs }, evidence: { evidence: [] }, lastCommit });
  }

  /** Executes a decided block, persists it with its commit atomically, then announces it. */
  async commitBlock(block: Block, commit: Commit): Promise<CommittedBlock> {
    const header = block.header!;
    const height = Number(header.height);
    if (height !== this.height + 1) throw new Error(`cannot commit block ${height}: next height is ${this.height + 1}`);
    const txs = block.data?.txs ?? [];
    const executed = await this.app.finalizeBlock({
      chainId: this.chainId,
      height,
      time: toTimestamp(header.time),
      proposer: header.proposerAddress ?? new Uint8Array(20),
      txs,
    });
    const blockId = { hash: headerHash(header), partSetHeader: { total: 1, hash: headerHash(header) } };
    const results = toBlockResults(height, executed);
    const hashes = executed.txHashes;
    const committed: CommittedBlock = { block, blockId, commit, results, txHashes: hashes.map(toUpperHex) };

    const batch = this.options.db.batch();
    this.app.commit(batch);
    this.blocks.save(batch, committed);
    this.txIndex.index(batch, height, txs, hashes, results.txResults);
    await writeDurably(batch);
    this.app.committed();
    this.blocks.saved(height);
    this.latest = committed;
    this.mempool.update(committed.txHashes, this.nextBlockInfo());
    const pending = [...this.listeners].map((l) => l(committed)).filter((p): p is Promise<void> => p instanceof Promise);
    if (pending.length) await Promise.all(pending);
    return committed;
  }

  private async initGenesis(): Promise<void> {
    const { genesis } = this.options;
    this.app.initChain({ time: genesis.time, appState: genesis.appState });
    const batch = this.options.db.batch();
    this.app.commit(batch);
    batch.put(META_GENESIS_DONE, Uint8Array.of(1));
    await writeDurably(batch);
    this.app.committed();
  }

  /**
   * A committed block with its commit and results. Per-tx results live in the tx index and are
   * loaded only when asked for (`withTxResults`); otherwise `results.txResults` is empty.
   */
  async storedBlock(height: number, { withTxResults = false } = {}): Promise<CommittedBlock | undefined> {
    if (this.latest && Number(this.latest.block.header!.height) === height) return this.latest;
    const [block, commit, results] = await Promise.all([this.blocks.block(height), this.blocks.commit(height), this.blocks.results(height)]);
    if (!block || !commit || !results) return undefined;
    const hashes = (block.data?.txs ?? []).map((tx) => sha256(tx));
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
    this.latest = await this.storedBlock(height, { withTxResults: true });
    if (!this.latest) throw new Error(`block store is missing parts of block ${height}`);
  }
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
