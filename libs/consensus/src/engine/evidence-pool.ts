import { DuplicateVoteEvidence, evidenceKey, type Block, type ChainNode } from '@trucom/chain';
import { TOPICS, type ConsensusNetwork, type EngineLogger } from './network.js';
import { EvidenceMessage, findValidator, type SignedVote } from './signed-messages.js';

const MAX_PENDING = 100;

/**
 * Double-sign evidence waiting for a block: evidence this node saw (two signed votes from one
 * validator) and verified evidence gossiped by peers. Proposers put it in their blocks; a committed
 * block's evidence leaves the pool.
 */
export class EvidencePool {
  private readonly pending = new Map<string, { height: number; bytes: Uint8Array }>();

  constructor(
    private readonly node: ChainNode,
    private readonly network: ConsensusNetwork,
    private readonly log: EngineLogger,
  ) {}

  /** Subscribes to the evidence topic (checked before gossip relays it). */
  start(): () => void {
    this.network.validateTopic(TOPICS.evidence, (data) => {
      const ev = EvidenceMessage.decode(data).duplicateVote;
      if (!ev) return 'empty evidence';
      const checked = this.node.decodeEvidence(DuplicateVoteEvidence.encode(ev).finish(), this.node.height + 2);
      return typeof checked === 'string' ? `invalid evidence: ${checked}` : undefined;
    });
    const stopGossip = this.network.onMessage(TOPICS.evidence, (data) => {
      const ev = EvidenceMessage.decode(data).duplicateVote;
      if (ev) this.add(DuplicateVoteEvidence.encode(ev).finish());
    });
    return stopGossip;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Evidence a block at `height` may carry (only of earlier heights). */
  forBlock(height: number): Uint8Array[] {
    return [...this.pending.values()].filter((e) => e.height < height).map((e) => e.bytes);
  }

  /** Two conflicting signed votes seen by this node: record them as evidence and gossip it. */
  report(a: SignedVote, b: SignedVote): void {
    const height = Number(a.height ?? 0);
    const validators = this.node.validatorsAt(height);
    const ev = DuplicateVoteEvidence.create({
      voteA: a,
      voteB: b,
      totalVotingPower: validators.reduce((s, v) => s + v.votingPower, 0),
      validatorPower: findValidator(validators, a.validatorAddress)?.validator.votingPower ?? 0,
      timestamp: this.node.latestBlock?.block.header?.time ?? this.node.genesis.time,
    });
    if (!this.add(DuplicateVoteEvidence.encode(ev).finish())) return;
    this.log.warn({ validator: Buffer.from(a.validatorAddress ?? []).toString('hex').toUpperCase(), height, round: a.round ?? 0 }, 'double sign detected: evidence recorded');
    this.network.publish(TOPICS.evidence, EvidenceMessage.encode({ duplicateVote: ev }).finish());
  }

  private add(bytes: Uint8Array): boolean {
    const ev = DuplicateVoteEvidence.decode(bytes);
    const key = evidenceKey(ev);
    if (this.pending.has(key) || this.pending.size >= MAX_PENDING) return false;
    this.pending.set(key, { height: Number(ev.voteA?.height ?? 0), bytes });
    return true;
  }

  /** A committed block's evidence is done with (called as soon as it commits, before the next proposal). */
  forgetCommitted(block: Block): void {
    for (const bytes of block.evidence?.evidence ?? []) this.pending.delete(evidenceKey(DuplicateVoteEvidence.decode(bytes)));
  }
}
