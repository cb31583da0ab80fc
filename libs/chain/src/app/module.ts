import type { Context, QueryContext, Timestamp } from './context.js';
import type { DecodedTx } from '../tx/decode.js';

/** A message's response, packed as an Any in TxMsgData.msg_responses. */
export interface MsgResponse {
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

/** One message type a module understands (the SDK's msg server method plus ValidateBasic). */
export interface MsgHandler<M = any> {
  readonly typeUrl: string;
  decode(bytes: Uint8Array): M;
  /** Addresses that must sign, in order; the first signer of a tx pays its fee. */
  signers(msg: M): string[];
  /** Stateless checks: run before any state is read. */
  validate?(msg: M): void;
  execute(ctx: Context, msg: M): MsgResponse;
}

export type QueryHandler = (ctx: QueryContext, request: Uint8Array) => Promise<Uint8Array> | Uint8Array;

/** A named check over the whole state; returns a description of what is broken, or undefined. */
export type Invariant = (ctx: QueryContext) => Promise<string | undefined>;

export interface Module {
  readonly name: string;
  readonly msgs?: readonly MsgHandler[];
  /** Keyed by gRPC path, e.g. "/cosmos.bank.v1beta1.Query/Balance" (what abci_query carries). */
  readonly queries?: Readonly<Record<string, QueryHandler>>;
  initGenesis?(ctx: Context, state: unknown): void;
  /** Runs before the block's txs; `info` says who signed the last block and who misbehaved. */
  beginBlock?(ctx: Context, info: BlockConsensusInfo): void;
  /** Runs after the block's txs; may change the validator set (applied by consensus at H+2). */
  endBlock?(ctx: Context): readonly ValidatorUpdate[] | void;
  readonly invariants?: Readonly<Record<string, Invariant>>;
}

export interface ResolvedMsg {
  readonly handler: MsgHandler;
  readonly msg: unknown;
}

/**
 * Authentication and fees (the SDK's ante handler): runs before a tx's messages, in its own
 * checkpoint, so its effects (fee, sequence) stay even when a message fails.
 */
export type AnteHandler = (ctx: Context, tx: DecodedTx, signers: readonly string[], verifySignature: SignatureVerifier) => void;

/** Checks a secp256k1 signature over sign bytes; synchronous so results can be cached or precomputed. */
export type SignatureVerifier = (publicKey: Uint8Array, signBytes: Uint8Array, signature: Uint8Array) => boolean;

/** A change to the validator set: power 0 removes the validator. Consensus keys are Ed25519. */
export interface ValidatorUpdate {
  readonly publicKey: Uint8Array;
  readonly power: number;
}

/** A validator of the last block's set and whether its precommit is in the block's last commit. */
export interface VoteInfo {
  /** Consensus address: the first 20 bytes of SHA-256 of the Ed25519 public key. */
  readonly address: Uint8Array;
  readonly power: number;
  readonly signed: boolean;
}

/** Verified evidence of a double sign, committed in the block. */
export interface Misbehavior {
  readonly kind: 'duplicate_vote';
  readonly address: Uint8Array;
  readonly height: number;
  readonly power: number;
  readonly time: Timestamp;
}

/** What consensus tells the application about a block besides its txs (ABCI's CommitInfo + misbehavior). */
export interface BlockConsensusInfo {
  readonly lastCommit: readonly VoteInfo[];
  readonly misbehavior: readonly Misbehavior[];
}
