import { trucom } from '@trucom/proto';
import { fromHex, toHex, verifyEd25519 } from '@trucom/crypto';
import { SignedMsgType, headerHash, signedBytes, type Block, type ValidatorInfo } from '@trucom/chain';
import type { Proposal, Vote } from '../tendermint/types.js';

export const { ConsensusMessage, ProposalMessage, EvidenceMessage, StatusRequest, StatusResponse, BlockRequest, BlocksResponse } = trucom.consensus.v1;
export type SignedVote = trucom.types.v1.IVote;
export type SignedProposal = trucom.types.v1.IProposal;
export type Timestamp = { seconds: number; nanos: number };

/** Value ids in the state machine are block hashes in hex. */
export const valueId = (hash: Uint8Array): string => toHex(hash);
export const addressId = (address: Uint8Array): string => toHex(address);

export function blockIdOf(hash: Uint8Array) {
  return { hash, partSetHeader: { total: 1, hash } };
}

export function blockValueId(block: Block): string {
  return valueId(headerHash(block.header!));
}

export function timestampFromMillis(ms: number): Timestamp {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

const TYPE = { prevote: SignedMsgType.SIGNED_MSG_TYPE_PREVOTE, precommit: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT } as const;

/** The wire vote for a machine vote (unsigned until `signature` is set). */
export function toSignedVote(vote: Vote, address: Uint8Array, validatorIndex: number, timestamp: Timestamp): SignedVote {
  return {
    type: TYPE[vote.type],
    height: vote.height,
    round: vote.round,
    blockId: vote.value === null ? null : blockIdOf(fromHex(vote.value)),
    timestamp,
    validatorAddress: address,
    validatorIndex,
  };
}

/** The machine's view of a wire vote, or undefined if its type is not a vote type. */
export function fromSignedVote(v: SignedVote): Vote | undefined {
  const type = v.type === TYPE.prevote ? 'prevote' : v.type === TYPE.precommit ? 'precommit' : undefined;
  if (!type) return undefined;
  const hash = v.blockId?.hash;
  return { type, height: Number(v.height ?? 0), round: v.round ?? 0, value: hash && hash.length > 0 ? valueId(hash) : null, validator: addressId(v.validatorAddress ?? new Uint8Array()) };
}

export function voteSignBytesOf(chainId: string, v: SignedVote): Uint8Array {
  return signedBytes(chainId, v);
}

export function proposalSignBytes(chainId: string, p: SignedProposal): Uint8Array {
  return trucom.types.v1.CanonicalProposal.encode({
    type: SignedMsgType.SIGNED_MSG_TYPE_PROPOSAL,
    height: p.height,
    round: p.round,
    polRound: p.polRound,
    blockId: p.blockId,
    timestamp: p.timestamp,
    chainId,
  }).finish();
}

export function toSignedProposal(p: Proposal, timestamp: Timestamp): SignedProposal {
  return { type: SignedMsgType.SIGNED_MSG_TYPE_PROPOSAL, height: p.height, round: p.round, polRound: p.validRound, blockId: blockIdOf(fromHex(p.value)), timestamp };
}

export function fromSignedProposal(p: SignedProposal, proposer: string): Proposal {
  return { height: Number(p.height ?? 0), round: p.round ?? 0, value: valueId(p.blockId?.hash ?? new Uint8Array()), validRound: p.polRound ?? -1, proposer };
}

export function findValidator(validators: readonly ValidatorInfo[], address: Uint8Array | null | undefined): { validator: ValidatorInfo; index: number } | undefined {
  if (!address) return undefined;
  const index = validators.findIndex((v) => Buffer.compare(v.address, address) === 0);
  return index < 0 ? undefined : { validator: validators[index]!, index };
}

export function verifyVote(chainId: string, validators: readonly ValidatorInfo[], v: SignedVote): boolean {
  const found = findValidator(validators, v.validatorAddress);
  return !!found && verifyEd25519(found.validator.publicKey, voteSignBytesOf(chainId, v), v.signature ?? new Uint8Array());
}
