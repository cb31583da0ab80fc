import { headerHash, verifyCommit, type Block, type ChainNode, type Commit } from '@trucom/chain';
import { PROTOCOLS, type ConsensusNetwork, type EngineLogger } from './network.js';
import { BlockRequest, BlocksResponse, StatusResponse, StatusRequest, blockIdOf } from './signed-messages.js';

export interface BlockSyncOptions {
  readonly node: ChainNode;
  readonly network: ConsensusNetwork;
  readonly log: EngineLogger;
  /** Hands a verified block to consensus, which commits it and moves on. */
  readonly commit: (block: Block, commit: Commit) => Promise<void>;
  /**
   * Whether consensus is deciding blocks itself (a node at the tip). Meanwhile peers are asked for
   * their height only every LIVE_POLL_EVERY-th interval: the status round trips to every peer each
   * second were about a third of an idle validator's CPU.
   */
  readonly live?: () => boolean;
  readonly intervalMs?: number;
  readonly batch?: number;
}

const MAX_BATCH = 50;
const REQUEST_TIMEOUT_MS = 5_000;
const LIVE_POLL_EVERY = 10;

/**
 * Catches a node up from its peers: serves its own blocks with their commits, and every interval
 * asks its peers how far they are; if one is ahead it fetches the missing blocks in batches and
 * commits each one whose commit carries +2/3 of the validator set the node tracks for that height
 * and whose header follows from the node's own last block. Consensus takes over at the tip.
 */
export class BlockSync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private fetching = false;
  private liveTicks = 0;

  constructor(private readonly options: BlockSyncOptions) {}

  start(): void {
    const { network } = this.options;
    network.handle(PROTOCOLS.status, async (request) => {
      StatusRequest.decode(request);
      const { node } = this.options;
      return StatusResponse.encode({ base: node.blocks.base, height: node.height }).finish();
    });
    network.handle(PROTOCOLS.blocks, (request) => this.serveBlocks(request));
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Whether the node is fetching blocks it is behind on (`catching_up` in /status). */
  get catchingUp(): boolean {
    return this.fetching;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    if (this.options.live?.() && ++this.liveTicks % LIVE_POLL_EVERY !== 0) return;
    this.running = this.syncOnce()
      .catch((err) => this.options.log.warn({ err: String(err) }, 'block sync round failed'))
      .finally(() => (this.running = undefined));
  }

  private async serveBlocks(request: Uint8Array): Promise<Uint8Array> {
    const { node } = this.options;
    const req = BlockRequest.decode(request);
    const from = Number(req.height);
    const count = Math.min(Math.max(req.count ?? 1, 1), MAX_BATCH);
    const blocks = [];
    for (let h = from; h >= 1 && h <= node.height && blocks.length < count; h++) {
      const stored = await node.storedBlock(h);
      if (!stored) break;
      blocks.push({ block: stored.block, commit: stored.commit });
    }
    return BlocksResponse.encode({ blocks }).finish();
  }

  /** One pass: find the peer furthest ahead and fetch from it until we reach its height. */
  async syncOnce(): Promise<void> {
    const { node, network } = this.options;
    let best: { peerId: string; height: number } | undefined;
    await Promise.all(
      network.connectedPeers().map(async ({ peerId }) => {
        try {
          const res = StatusResponse.decode(await network.request(peerId, PROTOCOLS.status, StatusRequest.encode({}).finish(), { timeoutMs: REQUEST_TIMEOUT_MS }));
          const height = Number(res.height ?? 0);
          if (!best || height > best.height) best = { peerId, height };
        } catch {
          // a peer that does not answer is simply not a sync source this round
        }
      }),
    );
    const target = best as { peerId: string; height: number } | undefined;
    this.fetching = !!target && target.height > node.height + 1;
    try {
      await this.fetchUpTo(target);
    } finally {
      this.fetching = false;
    }
  }

  private async fetchUpTo(target: { peerId: string; height: number } | undefined): Promise<void> {
    const { node, network } = this.options;
    while (target && !this.stopped && node.height < target.height) {
      const from = node.height + 1;
      const response = BlocksResponse.decode(
        await network.request(target.peerId, PROTOCOLS.blocks, BlockRequest.encode({ height: from, count: this.options.batch ?? 20 }).finish(), { timeoutMs: REQUEST_TIMEOUT_MS }),
      );
      if (response.blocks.length === 0) return;
      for (const { block, commit } of response.blocks) {
        if (!block || !commit) return network.penalize(target.peerId, 'block sync: incomplete block');
        const height = Number(block.header?.height ?? 0);
        if (height < node.height + 1) continue; // consensus committed it meanwhile
        const problem = this.check(block as Block, commit as Commit);
        if (problem) {
          this.options.log.warn({ peer: target.peerId, height, problem }, 'block sync: rejected a block');
          return network.penalize(target.peerId, `block sync: ${problem}`, 50);
        }
        await this.options.commit(block as Block, commit as Commit);
      }
    }
  }

  private check(block: Block, commit: Commit): string | undefined {
    const { node } = this.options;
    const height = Number(block.header?.height ?? 0);
    if (height !== node.height + 1) return `block ${height} is not the next block ${node.height + 1}`;
    const problem = node.checkBlock(block);
    if (problem) return problem;
    return verifyCommit(node.chainId, node.validatorsAt(height), height, blockIdOf(headerHash(block.header!)), commit);
  }
}
