import { bytesEqual, verifyEd25519 } from '@trucom/crypto';
import { trucom } from '@trucom/proto';
import type { Misbehavior } from '../app/module.js';
import type { ValidatorInfo } from '../node/validator-set.js';
import { toTimestamp, voteSignBytes } from './types.js';

export const { DuplicateVoteEvidence } = trucom.types.v1;
export type DuplicateVoteEvidence = trucom.types.v1.DuplicateVoteEvidence;
type SignedVote = trucom.types.v1.IVote;

/**
 * Checks a double-sign claim against the validator set of its height: two votes of one type, height
 * and round by the same validator, for different blocks, both correctly signed. Returns the
 * misbehavior it proves, or what is wrong with it.
 */
export function verifyDuplicateVote(chainId: string, ev: DuplicateVoteEvidence, validators: readonly ValidatorInfo[]): Misbehavior | string {
  const a = ev.voteA;
  const b = ev.voteB;
  if (!a || !b) return 'evidence needs two votes';
  const height = Number(a.height ?? 0);
  if (a.type !== b.type || height !== Number(b.height ?? 0) || (a.round ?? 0) !== (b.round ?? 0)) return 'votes are not for the same height, round and type';
  if (!bytesEqual(a.validatorAddress ?? new Uint8Array(), b.validatorAddress ?? new Uint8Array())) return 'votes are from different validators';
  if (bytesEqual(a.blockId?.hash ?? new Uint8Array(), b.blockId?.hash ?? new Uint8Array())) return 'votes are for the same block';
  const validator = validators.find((v) => bytesEqual(v.address, a.validatorAddress!));
  if (!validator) return `${Buffer.from(a.validatorAddress!).toString('hex').toUpperCase()} was not a validator at height ${height}`;
  for (const vote of [a, b]) if (!verifyEd25519(validator.publicKey, signedBytes(chainId, vote), vote.signature ?? new Uint8Array())) return 'a vote signature is invalid';
  return { kind: 'duplicate_vote', address: validator.address, height, power: validator.votingPower, time: toTimestamp(ev.timestamp) };
}

export function signedBytes(chainId: string, vote: SignedVote): Uint8Array {
  return voteSignBytes(chainId, { type: vote.type ?? 0, height: Number(vote.height ?? 0), round: vote.round ?? 0, blockId: vote.blockId ?? null, timestamp: vote.timestamp ?? {} });
}

/** The order-independent identity of a piece of evidence (a pair of votes either way round). */
export function evidenceKey(ev: DuplicateVoteEvidence): string {
  const hashes = [ev.voteA?.blockId?.hash, ev.voteB?.blockId?.hash].map((h) => Buffer.from(h ?? []).toString('hex')).sort();
  return `${Buffer.from(ev.voteA?.validatorAddress ?? []).toString('hex')}/${ev.voteA?.height}/${ev.voteA?.round}/${ev.voteA?.type}/${hashes.join('/')}`;
}
