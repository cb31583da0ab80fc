import { trucom } from '@trucom/proto';
import { sha256 } from '@trucom/crypto';
import { merkleRoot } from './merkle.js';

export const { Block, Header, Commit, CommitSig, BlockID, Vote, CanonicalVote, Validator, ValidatorSet, Data } = trucom.types.v1;
export const { BlockResults, ExecTxResult, TxRecord } = trucom.chain.v1;
export type Block = trucom.types.v1.Block;
export type Header = trucom.types.v1.Header;
export type Commit = trucom.types.v1.Commit;
export type BlockID = trucom.types.v1.BlockID;
export type CommitSig = trucom.types.v1.ICommitSig;
export type ValidatorProto = trucom.types.v1.IValidator;
export type BlockResults = trucom.chain.v1.BlockResults;
export type ExecTxResult = trucom.chain.v1.IExecTxResult;
export type TxRecord = trucom.chain.v1.TxRecord;
export const BlockIDFlag = trucom.types.v1.BlockIDFlag;
export const SignedMsgType = trucom.types.v1.SignedMsgType;

/** Block protocol version reported in headers and status (CometBFT 0.38's BlockProtocol). */
export const BLOCK_PROTOCOL = 11;

/** The header hash is the block's id: a Merkle root over the encoded header fields, as in CometBFT. */
export function headerHash(h: trucom.types.v1.IHeader): Uint8Array {
  const fields: Uint8Array[] = [
    trucom.types.v1.Version.encode(h.version ?? {}).finish(),
    Buffer.from(h.chainId ?? ''),
    Buffer.from(String(h.height ?? 0)),
    trucom.types.v1.Timestamp.encode(h.time ?? {}).finish(),
    trucom.types.v1.BlockID.encode(h.lastBlockId ?? {}).finish(),
    h.lastCommitHash ?? new Uint8Array(),
    h.dataHash ?? new Uint8Array(),
    h.validatorsHash ?? new Uint8Array(),
    h.nextValidatorsHash ?? new Uint8Array(),
    h.consensusHash ?? new Uint8Array(),
    h.appHash ?? new Uint8Array(),
    h.lastResultsHash ?? new Uint8Array(),
    h.evidenceHash ?? new Uint8Array(),
    h.proposerAddress ?? new Uint8Array(),
  ];
  return merkleRoot(fields);
}

const txHashes = new WeakMap<Uint8Array, Uint8Array>();

/**
 * SHA-256 of a tx's bytes, remembered per bytes object: a block's txs are hashed for its data hash
 * when proposed or checked and again to execute and index it, and the mempool's copies are hashed at
 * admission and again in the proposer's block. (Tx bytes are never mutated once received.)
 */
export function txHash(tx: Uint8Array): Uint8Array {
  let hash = txHashes.get(tx);
  if (!hash) txHashes.set(tx, (hash = sha256(tx)));
  return hash;
}

/** Data hash: Merkle root of the tx hashes. */
export function dataHash(txs: readonly Uint8Array[]): Uint8Array {
  return merkleRoot(txs.map(txHash));
}

export function commitHash(commit: trucom.types.v1.ICommit): Uint8Array {
  return merkleRoot((commit.signatures ?? []).map((s) => CommitSig.encode(s).finish()));
}

/** Hash of the deterministic part of each tx result (code, data, gas), as CometBFT's LastResultsHash. */
export function resultsHash(results: readonly ExecTxResult[]): Uint8Array {
  return merkleRoot(results.map((r) => ExecTxResult.encode({ code: r.code, data: r.data, gasWanted: r.gasWanted, gasUsed: r.gasUsed }).finish()));
}

export function validatorSetHash(validators: readonly ValidatorProto[]): Uint8Array {
  return merkleRoot(validators.map((v) => Validator.encode({ pubKeyEd25519: v.pubKeyEd25519, votingPower: v.votingPower }).finish()));
}

/** The bytes a validator signs for a vote: chain id bound in (CometBFT's canonical vote). */
export function voteSignBytes(chainId: string, vote: { type: number; height: number; round: number; blockId: trucom.types.v1.IBlockID | null; timestamp: trucom.types.v1.ITimestamp }): Uint8Array {
  return CanonicalVote.encode({ type: vote.type, height: vote.height, round: vote.round, blockId: vote.blockId, timestamp: vote.timestamp, chainId }).finish();
}

/** Normalises a decoded protobuf timestamp (optional fields) into integers. */
export function toTimestamp(t: trucom.types.v1.ITimestamp | null | undefined): { seconds: number; nanos: number } {
  return { seconds: Number(t?.seconds ?? 0), nanos: t?.nanos ?? 0 };
}
