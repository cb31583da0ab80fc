import { setTimeout as sleep } from 'node:timers/promises';
import { BlockIDFlag, headerHash, SignedMsgType, toTimestamp, voteSignBytes, type ChainNode, type Commit, type Timestamp } from '@trucom/chain';
import { SIGN_STEP, type SafeSigner } from './safe-signer.js';

export interface SoloEngineOptions {
  /** Target time between blocks; empty blocks are produced too. */
  readonly blockTimeMs: number;
  readonly onError?: (err: unknown) => void;
}

function toMillis(t: Timestamp): number {
  return t.seconds * 1000 + Math.floor(t.nanos / 1e6);
}

function fromMillis(ms: number): Timestamp {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

/**
 * Block production for a network of one validator: it holds all the voting power, so its own
 * precommit is the +2/3 commit. It drives the chain through the same boundary (propose block,
 * commit block with its commit) that the Tendermint engine drives with several validators.
 */
export class SoloEngine {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly node: ChainNode,
    private readonly signer: SafeSigner,
    private readonly options: SoloEngineOptions,
  ) {
    const [only] = node.validators;
    if (node.validators.length !== 1 || Buffer.compare(only!.address, signer.address) !== 0) {
      throw new Error('the solo engine needs a genesis with exactly this node as the validator');
    }
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const last = this.node.latestBlock?.block.header?.time;
      const lastMs = last ? toMillis(toTimestamp(last)) : toMillis(this.node.genesis.time);
      const wait = lastMs + this.options.blockTimeMs - Date.now();
      if (wait > 0) {
        try {
          await sleep(wait, undefined, { signal: this.abort.signal });
        } catch {
          return; // stopped while waiting
        }
      }
      try {
        await this.produce(fromMillis(Math.max(Date.now(), lastMs + 1)));
      } catch (err) {
        this.options.onError?.(err);
        await sleep(this.options.blockTimeMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  private async produce(time: Timestamp): Promise<void> {
    const block = this.node.proposeBlock(this.signer.address, time);
    const hash = headerHash(block.header!);
    const blockId = { hash, partSetHeader: { total: 1, hash } };
    const height = Number(block.header!.height);
    // A crash after signing but before the block was stored leaves a signature for this height
    // behind: the block made now differs, so it goes in the next round (never a second signature
    // for the same height/round/step).
    const last = this.signer.lastSigned;
    const round = last?.height === height ? last.round + 1 : 0;
    const signBytes = voteSignBytes(this.node.chainId, { type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT, height, round, blockId, timestamp: time });
    const signature = this.signer.sign(height, round, SIGN_STEP.precommit, signBytes);
    const commit: Commit = {
      height,
      round,
      blockId,
      signatures: [{ blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT, validatorAddress: this.signer.address, timestamp: time, signature }],
    } as Commit;
    await this.node.commitBlock(block, commit);
  }
}
