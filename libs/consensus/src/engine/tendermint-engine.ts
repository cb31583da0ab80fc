import { Block, BlockIDFlag, headerHash, type ChainNode, type Commit } from '@trucom/chain';
import { fromHex, toHex, verifyEd25519 } from '@trucom/crypto';
import { trucom } from '@trucom/proto';
import { ConsensusDriver, type DriverInput, type DriverOutput } from '../tendermint/driver.js';
import type { Timeouts } from '../tendermint/io.js';
import type { Equivocation, Proposal, Vote } from '../tendermint/types.js';
import { DoubleSignError, SIGN_STEP, type SafeSigner } from '../safe-signer.js';
import type { PrivValidator } from '../priv-validator.js';
import { ConsensusWal } from './wal.js';
import { EvidencePool } from './evidence-pool.js';
import { ProposerRotation } from './proposer-rotation.js';
import { TOPICS, type ConsensusNetwork, type EngineLogger } from './network.js';
import {
  ConsensusMessage,
  addressId,
  blockIdOf,
  findValidator,
  fromSignedProposal,
  fromSignedVote,
  proposalSignBytes,
  timestampFromMillis,
  toSignedProposal,
  toSignedVote,
  valueId,
  verifyVote,
  voteSignBytesOf,
  type SignedProposal,
  type SignedVote,
  type Timestamp,
} from './signed-messages.js';

export interface EngineOptions {
  readonly node: ChainNode;
  readonly signer: SafeSigner;
  readonly network: ConsensusNetwork;
  readonly walPath: string;
  readonly log: EngineLogger;
  /** Target time between blocks: the proposer waits until the last block is this old (CometBFT's timeout_commit). */
  readonly blockTimeMs: number;
  readonly timeouts?: Timeouts;
  /** How often own messages of a stuck height are sent again (gossip does not retry by itself). */
  readonly resendMs?: number;
  /** Tests only: also sign and send a conflicting prevote each round (a Byzantine double-signer). */
  readonly doubleSignWith?: PrivValidator;
  readonly now?: () => number;
}

/** What the WAL holds: the machine's inputs at a height and this node's signing intents. */
type WalRecord =
  // Signed messages are kept in their protobuf encoding (exact bytes survive; JSON of them would not).
  | { height: number; kind: 'proposal'; proposal: Uint8Array; block: Uint8Array; valid: boolean }
  | { height: number; kind: 'vote'; vote: Uint8Array }
  | { height: number; kind: 'timeout'; step: 'propose' | 'prevote' | 'precommit'; round: number }
  | { height: number; kind: 'proposeValue'; round: number; block: Uint8Array }
  | { height: number; kind: 'intent'; step: number; round: number; timestamp: Timestamp };

const { Vote: WireVote, Proposal: WireProposal } = trucom.types.v1;
const FUTURE_HEIGHTS = 2;
const MAX_ROUND = 10_000;
const MAX_FUTURE_MESSAGES = 5_000;
const MAX_PROPOSE_ALLOWANCE_MS = 30_000;
/**
 * At most this share of the block time a proposer waits for the admissions under way when its turn
 * comes (see Mempool.settled): under load they hold the txs peers gossiped during its last commit.
 */
const SETTLE_SHARE = 0.4;
/** See `live`: under load a height takes up to a few block times. */
const LIVE_BLOCKS = 5;

/**
 * Runs the Tendermint state machine against the chain and the network: verifies what peers send,
 * feeds the machine, carries out what it outputs (sign through the SafeSigner after logging the
 * intent to the WAL, broadcast, set timers, commit decided blocks) and moves to the next height.
 * Everything that decides lives in the pure machine; this is the imperative shell around it.
 */
export class TendermintEngine {
  private readonly driver: ConsensusDriver;
  private readonly rotation: ProposerRotation;
  private readonly wal: ConsensusWal<WalRecord>;
  private readonly now: () => number;
  private readonly self: string;
  /** Blocks seen at the current height, by value id. */
  private blocks = new Map<string, Block>();
  /** Signed votes of the current height, by `round/type/validator/value`. */
  private votes = new Map<string, SignedVote>();
  private ownMessages: Uint8Array[] = [];
  private intents = new Map<string, Timestamp>();
  private readonly future = new Map<number, Uint8Array[]>();
  private readonly evidence: EvidencePool;
  private readonly timers = new Set<NodeJS.Timeout>();
  private serial: Promise<void> = Promise.resolve();
  private stopped = false;
  private resendTimer: NodeJS.Timeout | undefined;
  private resendCount = 0;
  /** When this node's round or step last changed: its proposal is resent only when it is stuck. */
  private progressAt = 0;
  private heightStartedAt = 0;
  /** How long committing the last block took here (see proposeAllowanceMs). */
  private lastCommitMs = 0;
  /** When consensus (not block sync) last decided a block here. */
  private decidedAt: number | undefined;
  /** What the last proposal waited for (for the debug log). */
  private settle: { admitting: number; waitedMs: number } | undefined;
  private position = '';
  private readonly unsubscribe: (() => void)[] = [];
  /** The last block this node decided, with every precommit for it seen so far. */
  private decided: { height: number; round: number; value: string; precommits: Map<string, SignedVote> } | undefined;

  constructor(private readonly options: EngineOptions) {
    const { node } = options;
    this.now = options.now ?? Date.now;
    this.self = addressId(options.signer.address);
    this.rotation = new ProposerRotation((h) => node.validatorsAt(h));
    this.driver = new ConsensusDriver({
      self: this.self,
      validatorsAt: (h) => node.validatorsAt(h).map((v) => ({ address: addressId(v.address), power: BigInt(v.votingPower) })),
      proposerAt: (h) => this.rotation.scheduleAt(h),
      timeouts: options.timeouts,
    });
    this.wal = ConsensusWal.open<WalRecord>(options.walPath);
    this.evidence = new EvidencePool(node, options.network, options.log);
  }

  get height(): number {
    return this.driver.height;
  }

  get round(): number {
    return this.driver.current?.round ?? 0;
  }

  get step(): string {
    return this.driver.current?.step ?? 'propose';
  }

  /** Evidence waiting to be put in a block (proposers include it; committing removes it). */
  get pendingEvidence(): number {
    return this.evidence.size;
  }

  start(): void {
    const { network } = this.options;
    network.validateTopic(TOPICS.consensus, (data) => this.wellFormed(data));
    this.unsubscribe.push(network.onMessage(TOPICS.consensus, (data, from) => this.enqueue(() => this.onConsensusMessage(data, from))));
    this.unsubscribe.push(this.evidence.start());
    this.enqueue(() => this.enterHeight(this.options.node.height + 1, true));
    this.resendTimer = setInterval(() => this.resend(), this.options.resendMs ?? 2000);
    this.resendTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
    for (const t of this.timers) clearTimeout(t);
    clearInterval(this.resendTimer);
    await this.serial;
    this.wal.close();
  }

  /**
   * A block decided elsewhere and verified by block sync: commit it (unless consensus got there
   * first) and move consensus on.
   */
  commitSynced(block: Block, commit: Commit): Promise<void> {
    return this.enqueue(async () => {
      const height = Number(block.header!.height);
      if (height !== this.options.node.height + 1) return;
      await this.commitBlock(block, commit);
      this.options.log.info({ height }, 'block synced');
      await this.enterHeight(height + 1, false);
    });
  }

  /** Everything that touches the machine or the chain runs one at a time, in arrival order. */
  private enqueue(task: () => void | Promise<void>): Promise<void> {
    const run = this.serial.then(async () => {
      if (this.stopped) return;
      try {
        await task();
      } catch (err) {
        this.options.log.error({ err }, 'consensus step failed');
      }
    });
    this.serial = run;
    return run;
  }

  private async enterHeight(height: number, replay: boolean): Promise<void> {
    if (height <= this.driver.height) return;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.blocks = new Map();
    this.votes = new Map();
    this.ownMessages = [];
    this.intents = new Map();
    this.resendCount = 0;
    this.heightStartedAt = this.now();
    const records = replay ? this.wal.recordsFor(height) : [];
    if (!replay || records.length === 0) this.wal.reset();
    for (const r of records) if (r.kind === 'intent') this.intents.set(`${r.round}/${r.step}`, r.timestamp);

    await this.perform(this.driver.startHeight(height));
    for (const r of records) await this.replay(r);
    if (records.length > 0) this.options.log.info({ height, records: records.length }, 'consensus WAL replayed');

    for (const h of [...this.future.keys()].sort((a, b) => a - b)) {
      if (h > height) continue;
      const waiting = this.future.get(h)!;
      this.future.delete(h);
      if (h === height) for (const data of waiting) await this.onConsensusMessage(data, '');
    }
  }

  private async replay(r: WalRecord): Promise<void> {
    switch (r.kind) {
      case 'proposal': {
        const block = Block.decode(r.block);
        this.blocks.set(valueId(headerHash(block.header!)), block);
        const proposal = WireProposal.decode(r.proposal);
        return this.apply({ kind: 'proposal', height: r.height, proposal: fromSignedProposal(proposal, this.rotation.scheduleAt(r.height)(proposal.round ?? 0)), valid: r.valid });
      }
      case 'vote': {
        const wire = WireVote.decode(r.vote);
        const vote = fromSignedVote(wire)!;
        this.votes.set(voteKey(vote), wire);
        return this.apply({ kind: 'vote', height: r.height, vote });
      }
      case 'timeout':
        return this.apply({ kind: 'timeout', height: r.height, step: r.step, round: r.round });
      case 'proposeValue': {
        const block = Block.decode(r.block);
        const value = valueId(headerHash(block.header!));
        this.blocks.set(value, block);
        return this.apply({ kind: 'proposeValue', height: r.height, round: r.round, value });
      }
      case 'intent':
        return;
    }
  }

  private async apply(input: DriverInput): Promise<void> {
    await this.perform(this.driver.apply(input));
    const position = `${this.driver.height}/${this.round}/${this.step}`;
    if (position !== this.position) {
      this.position = position;
      this.progressAt = this.now();
    }
  }

  private async perform(outputs: DriverOutput[]): Promise<void> {
    for (const out of outputs) {
      switch (out.kind) {
        case 'getValue':
          this.scheduleProposal(out.height, out.round);
          break;
        case 'propose':
          this.sendProposal(out.proposal);
          break;
        case 'vote':
          this.sendVote(out.vote);
          break;
        case 'scheduleTimeout':
          this.setTimer(out.delayMs + (out.step === 'propose' ? this.proposeAllowanceMs() : 0), () => this.onTimeout(out.height, out.step, out.round));
          break;
        case 'evidence':
          this.recordEquivocation(out.equivocation);
          break;
        case 'decide':
          await this.decide(out.height, out.value, out.round);
          break;
      }
    }
  }

  private setTimer(delayMs: number, fire: () => void | Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.enqueue(fire);
    }, Math.max(0, delayMs));
    this.timers.add(timer);
  }

  private async onTimeout(height: number, step: 'propose' | 'prevote' | 'precommit', round: number): Promise<void> {
    if (height !== this.driver.height) return;
    this.options.log.debug({ height, round, step, sinceHeightMs: this.now() - this.heightStartedAt }, 'timed out');
    this.wal.append({ height, kind: 'timeout', step, round });
    await this.apply({ kind: 'timeout', height, step, round });
  }

  /**
   * Extra time the proposal gets beyond `timeout_propose`: twice what committing the last block
   * took here. Under load the proposer is still executing that block (often for longer than this
   * node: it may lag behind on gossip) and then builds a large block; a round that gives up on it
   * costs a whole new round and makes the next block larger still. Timeouts bound only liveness,
   * so waiting longer for a proposer that really is down is the cheaper mistake.
   */
  private proposeAllowanceMs(): number {
    return Math.min(2 * this.lastCommitMs, MAX_PROPOSE_ALLOWANCE_MS);
  }

  /** The proposer waits until the last block is `blockTimeMs` old, then builds a block from the mempool. */
  private scheduleProposal(height: number, round: number): void {
    const { node } = this.options;
    const last = node.latestBlock?.block.header?.time;
    const lastMs = last ? Number(last.seconds ?? 0) * 1000 + Math.floor((last.nanos ?? 0) / 1e6) : node.genesis.time.seconds * 1000;
    const wait = round === 0 ? lastMs + this.options.blockTimeMs - this.now() : 0;
    this.setTimer(wait, async () => {
      if (height !== this.driver.height || this.driver.current?.round !== round) return;
      const admitting = node.mempool.admitting;
      const settleFrom = this.now();
      await node.mempool.settled(this.options.blockTimeMs * SETTLE_SHARE);
      if (height !== this.driver.height || this.driver.current?.round !== round) return;
      this.settle = { admitting, waitedMs: this.now() - settleFrom };
      const time = timestampFromMillis(Math.max(this.now(), lastMs + 1));
      const block = node.proposeBlock(this.options.signer.address, time, this.evidence.forBlock(height), this.lastCommitFor(height));
      const value = valueId(headerHash(block.header!));
      this.blocks.set(value, block);
      this.wal.append({ height, kind: 'proposeValue', round, block: Block.encode(block).finish() });
      await this.apply({ kind: 'proposeValue', height, round, value });
    });
  }

  /** Logs the intent (fsync), signs through the SafeSigner, keeps it for re-sending, broadcasts. */
  private signOwn(height: number, round: number, step: number, signBytes: (t: Timestamp) => Uint8Array): { signature: Uint8Array; timestamp: Timestamp } | undefined {
    const key = `${round}/${step}`;
    let timestamp = this.intents.get(key);
    if (!timestamp) {
      timestamp = timestampFromMillis(this.now());
      this.intents.set(key, timestamp);
      this.wal.append({ height, kind: 'intent', step, round, timestamp }, { sync: true });
    }
    try {
      return { signature: this.options.signer.sign(height, round, step as never, signBytes(timestamp)), timestamp };
    } catch (err) {
      if (!(err instanceof DoubleSignError)) throw err;
      this.options.log.warn({ height, round, step, err: err.message }, 'not signing: it would conflict with an earlier signature');
      return undefined;
    }
  }

  /** Only validators of the height sign (a node that is syncing or not yet bonded just follows). */
  private isValidatorAt(height: number): boolean {
    return !!findValidator(this.options.node.validatorsAt(height), this.options.signer.address);
  }

  private sendProposal(p: Proposal): void {
    if (!this.isValidatorAt(p.height)) return;
    const block = this.blocks.get(p.value);
    if (!block) return void this.options.log.error({ height: p.height, round: p.round }, 'cannot propose: block unknown');
    const chainId = this.options.node.chainId;
    const signed = this.signOwn(p.height, p.round, SIGN_STEP.propose, (timestamp) => proposalSignBytes(chainId, toSignedProposal(p, timestamp)));
    if (!signed) return;
    const proposal = { ...toSignedProposal(p, signed.timestamp), signature: signed.signature };
    this.broadcastOwn(ConsensusMessage.encode({ proposal: { proposal, block } }).finish());
    this.options.log.debug({ height: p.height, round: p.round, txs: block.data?.txs?.length ?? 0, ...this.settle, sinceHeightMs: this.now() - this.heightStartedAt }, 'proposed');
    this.settle = undefined;
  }

  private sendVote(vote: Vote): void {
    if (!this.isValidatorAt(vote.height)) return;
    const { node, signer } = this.options;
    const index = findValidator(node.validatorsAt(vote.height), signer.address)?.index ?? -1;
    const step = vote.type === 'prevote' ? SIGN_STEP.prevote : SIGN_STEP.precommit;
    const signed = this.signOwn(vote.height, vote.round, step, (timestamp) => voteSignBytesOf(node.chainId, toSignedVote(vote, signer.address, index, timestamp)));
    if (!signed) return;
    const wire = { ...toSignedVote(vote, signer.address, index, signed.timestamp), signature: signed.signature };
    this.votes.set(voteKey(vote), wire);
    this.broadcastOwn(ConsensusMessage.encode({ vote: wire }).finish());
    if (this.options.doubleSignWith && vote.type === 'prevote') this.sendConflictingPrevote(vote, index, signed.timestamp);
  }

  /** Byzantine behaviour for tests: a second prevote at the same height/round for another block. */
  private sendConflictingPrevote(vote: Vote, index: number, timestamp: Timestamp): void {
    const key = this.options.doubleSignWith!;
    const other: Vote = { ...vote, value: toHex(new Uint8Array(32).fill(vote.round + 1)) };
    const wire = toSignedVote(other, key.address, index, timestamp);
    wire.signature = key.sign(voteSignBytesOf(this.options.node.chainId, wire));
    this.options.network.publish(TOPICS.consensus, ConsensusMessage.encode({ vote: wire }).finish());
  }

  private broadcastOwn(data: Uint8Array): void {
    this.ownMessages.push(data);
    this.options.network.publish(TOPICS.consensus, data);
  }

  /**
   * Gossip delivers once. Every `resendMs` that a height lasts, a node sends every vote it holds for
   * the height again (as CometBFT peers gossip votes to each other; votes are small): a validator
   * that restarted or was cut off then sees the polkas behind the others' locks, even from
   * validators that are down now. Its own proposal (a whole block) goes again only when its round
   * and step have not moved for `resendMs`.
   */
  private resend(): void {
    void this.enqueue(() => {
      const every = this.options.resendMs ?? 2000;
      if (this.now() - this.heightStartedAt < every) return;
      this.resendCount++;
      const stuck = this.now() - this.progressAt >= every;
      const proposals = stuck ? this.ownMessages.map((data) => ConsensusMessage.decode(data)).filter((m) => m.proposal) : [];
      const votes = [...this.votes.values()].map((vote) => ConsensusMessage.create({ vote }));
      for (const msg of [...proposals, ...votes]) {
        msg.resend = this.resendCount;
        this.options.network.publish(TOPICS.consensus, ConsensusMessage.encode(msg).finish());
      }
    });
  }

  private async decide(height: number, value: string, round: number): Promise<void> {
    const { node } = this.options;
    const block = this.blocks.get(value);
    if (!block) return void this.options.log.warn({ height, round }, 'decided a block we do not have: waiting for block sync');
    if (node.height >= height) return;
    const precommits = new Map<string, SignedVote>();
    for (const v of node.validatorsAt(height)) {
      const vote = this.votes.get(`${round}/precommit/${addressId(v.address)}/${value}`);
      if (vote) precommits.set(addressId(v.address), vote);
    }
    const sinceHeightMs = this.now() - this.heightStartedAt;
    await this.commitBlock(block, this.buildCommit(height, round, value, precommits));
    this.decidedAt = this.now();
    this.decided = { height, round, value, precommits };
    this.options.log.debug({ height, round, txs: block.data?.txs?.length ?? 0, sinceHeightMs, commitMs: this.lastCommitMs, ...node.lastCommitTimings }, 'committed');
    await this.enterHeight(height + 1, false);
  }

  /**
   * Whether consensus is deciding blocks here: it decided one within the last LIVE_BLOCKS block
   * times. Such a node is at the tip of the chain (consensus decides only the next block), so block
   * sync need not ask its peers every second how far they are.
   */
  get live(): boolean {
    return this.decidedAt !== undefined && this.now() - this.decidedAt < LIVE_BLOCKS * this.options.blockTimeMs;
  }

  /** Commits through the chain node, timing it for the next height's proposeAllowanceMs. */
  private async commitBlock(block: Block, commit: Commit): Promise<void> {
    const started = this.now();
    await this.options.node.commitBlock(block, commit);
    this.evidence.forgetCommitted(block);
    this.lastCommitMs = this.now() - started;
  }

  /** A commit in validator-set order: the signature of each validator whose precommit we hold, absent otherwise. */
  private buildCommit(height: number, round: number, value: string, precommits: ReadonlyMap<string, SignedVote>): Commit {
    const signatures = this.options.node.validatorsAt(height).map((v) => {
      const vote = precommits.get(addressId(v.address));
      return vote
        ? { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT, validatorAddress: v.address, timestamp: vote.timestamp, signature: vote.signature }
        : { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT, validatorAddress: new Uint8Array(), timestamp: { seconds: 0, nanos: 0 }, signature: new Uint8Array() };
    });
    return { height, round, blockId: blockIdOf(fromHex(value)), signatures } as Commit;
  }

  /**
   * A precommit for the block just decided that arrived after +2/3 were in: kept for the next
   * block's last commit, as CometBFT does, so a validator that voted slightly later still counts as
   * having signed (rewards and downtime tracking read the last commit).
   */
  private onLatePrecommit(wire: SignedVote): void {
    const d = this.decided;
    const vote = fromSignedVote(wire);
    if (!d || !vote || vote.type !== 'precommit' || vote.height !== d.height || vote.round !== d.round || vote.value !== d.value) return;
    if (d.precommits.has(vote.validator) || !verifyVote(this.options.node.chainId, this.options.node.validatorsAt(d.height), wire)) return;
    d.precommits.set(vote.validator, wire);
  }

  /** The last commit a proposal at `height` carries: the decided block's precommits, late ones included. */
  private lastCommitFor(height: number): Commit | undefined {
    const d = this.decided;
    return d && d.height === height - 1 ? this.buildCommit(d.height, d.round, d.value, d.precommits) : undefined;
  }

  /**
   * The gossip-level check (before a message is delivered or relayed): it decodes, and a vote or
   * proposal for a height whose validator set is known carries a valid signature of its author.
   * The block inside a proposal is judged later, by consensus (an invalid block earns a nil prevote).
   */
  private wellFormed(data: Uint8Array): string | undefined {
    let msg: ReturnType<typeof ConsensusMessage.decode>;
    try {
      msg = ConsensusMessage.decode(data);
    } catch {
      return 'malformed consensus message';
    }
    const { node } = this.options;
    const height = Number(msg.vote?.height ?? msg.proposal?.proposal?.height ?? 0);
    if (height < 1) return 'empty consensus message';
    const known = height > node.height && height <= node.height + 2;
    if (msg.vote) {
      if (!fromSignedVote(msg.vote)) return 'not a vote type';
      return !known || verifyVote(node.chainId, node.validatorsAt(height), msg.vote) ? undefined : 'vote from a non-validator or with a bad signature';
    }
    const p = msg.proposal?.proposal;
    if (!p || !msg.proposal?.block) return 'proposal without its block';
    if (!known) return undefined;
    const round = p.round ?? 0;
    if (round < 0 || round > MAX_ROUND) return 'proposal round out of range';
    const proposerId = this.rotation.scheduleAt(height)(round);
    const proposer = node.validatorsAt(height).find((v) => addressId(v.address) === proposerId);
    return proposer && verifyEd25519(proposer.publicKey, proposalSignBytes(node.chainId, p), p.signature ?? new Uint8Array()) ? undefined : 'proposal not signed by the round proposer';
  }

  private async onConsensusMessage(data: Uint8Array, from: string): Promise<void> {
    let msg: ReturnType<typeof ConsensusMessage.decode>;
    try {
      msg = ConsensusMessage.decode(data);
    } catch {
      return this.penalize(from, 'malformed consensus message');
    }
    const height = Number(msg.vote?.height ?? msg.proposal?.proposal?.height ?? 0);
    const current = this.driver.height;
    if (height === current - 1 && msg.vote) return this.onLatePrecommit(msg.vote);
    if (height < current || height < 1) return;
    if (height > current) {
      if (height - current > FUTURE_HEIGHTS) return;
      const list = this.future.get(height) ?? [];
      if (list.length < MAX_FUTURE_MESSAGES) list.push(data);
      this.future.set(height, list);
      return;
    }
    if (msg.vote) return this.onVote(msg.vote, from);
    if (msg.proposal?.proposal && msg.proposal.block) return this.onProposal(msg.proposal.proposal, msg.proposal.block as Block, from);
    this.penalize(from, 'empty consensus message');
  }

  private async onVote(wire: SignedVote, from: string): Promise<void> {
    const vote = fromSignedVote(wire);
    const height = this.driver.height;
    if (!vote || vote.round < 0) return this.penalize(from, 'not a vote type');
    if (vote.validator === this.self && !this.options.doubleSignWith) return; // our own, gossiped back
    const key = voteKey(vote);
    if (this.votes.has(key)) return;
    if (!verifyVote(this.options.node.chainId, this.options.node.validatorsAt(height), wire)) return this.penalize(from, 'vote from a non-validator or with a bad signature');
    this.votes.set(key, wire);
    this.wal.append({ height, kind: 'vote', vote: WireVote.encode(wire).finish() });
    await this.apply({ kind: 'vote', height, vote });
  }

  private async onProposal(wire: SignedProposal, block: Block, from: string): Promise<void> {
    const { node } = this.options;
    const height = this.driver.height;
    const round = wire.round ?? 0;
    if (round < 0 || round > MAX_ROUND) return this.penalize(from, 'proposal round out of range');
    const proposerId = this.rotation.scheduleAt(height)(round);
    const proposer = node.validatorsAt(height).find((v) => addressId(v.address) === proposerId)!;
    if (!verifyEd25519(proposer.publicKey, proposalSignBytes(node.chainId, wire), wire.signature ?? new Uint8Array())) return this.penalize(from, 'proposal not signed by the round proposer');
    if (!block.header || toHex(headerHash(block.header)) !== toHex(wire.blockId?.hash ?? new Uint8Array())) return this.penalize(from, 'proposal block does not match its block id');
    const value = valueId(headerHash(block.header));
    const checkStarted = this.now();
    const problem = node.checkBlock(block, { now: checkStarted });
    this.options.log.debug({ height, round, txs: block.data?.txs?.length ?? 0, sinceHeightMs: checkStarted - this.heightStartedAt, checkMs: this.now() - checkStarted }, 'proposal received');
    if (problem) this.options.log.warn({ height, round, problem }, 'invalid proposal: prevoting nil');
    this.blocks.set(value, block);
    this.wal.append({ height, kind: 'proposal', proposal: WireProposal.encode(wire).finish(), block: Block.encode(block).finish(), valid: !problem });
    await this.apply({ kind: 'proposal', height, proposal: fromSignedProposal(wire, proposerId), valid: !problem });
  }

  /** Equivocation seen by the machine: both signed votes become evidence. */
  private recordEquivocation(e: Equivocation): void {
    const a = this.votes.get(voteKey(e.first));
    const b = this.votes.get(voteKey(e.second));
    if (a && b) this.evidence.report(a, b);
  }

  private penalize(from: string, reason: string): void {
    if (from) this.options.network.penalize(from, reason);
    this.options.log.debug({ peer: from, reason }, 'dropped a peer message');
  }
}

function voteKey(v: Vote): string {
  return `${v.round}/${v.type}/${v.validator}/${v.value ?? 'nil'}`;
}
