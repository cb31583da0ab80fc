import { bytesEqual, verifyEd25519 } from '@trucom/crypto';
import type { ValidatorInfo } from '../node/validator-set.js';
import type { trucom } from '@trucom/proto';
import { BlockIDFlag, SignedMsgType, voteSignBytes } from './types.js';

/**
 * Checks that a commit proves `blockId` was decided at `height`: every COMMIT signature comes from
 * a distinct validator of the set and verifies over its canonical precommit, and together they
 * hold more than 2/3 of the set's power. Returns what is wrong, or undefined.
 */
export function verifyCommit(chainId: string, validators: readonly ValidatorInfo[], height: number, blockId: trucom.types.v1.IBlockID, commit: trucom.types.v1.ICommit): string | undefined {
  if (Number(commit.height) !== height) return `commit is for height ${commit.height}, expected ${height}`;
  if (!commit.blockId?.hash || !bytesEqual(commit.blockId.hash, blockId.hash ?? new Uint8Array())) return 'commit is for another block';
  const byAddress = new Map(validators.map((v) => [Buffer.from(v.address).toString('hex'), v]));
  const seen = new Set<string>();
  let signed = 0;
  let total = 0;
  for (const v of validators) total += v.votingPower;
  for (const sig of commit.signatures ?? []) {
    if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) continue;
    const key = Buffer.from(sig.validatorAddress ?? []).toString('hex');
    const validator = byAddress.get(key);
    if (!validator) return `commit signature from ${key.toUpperCase()}, not a validator at height ${height}`;
    if (seen.has(key)) return `two commit signatures from ${key.toUpperCase()}`;
    seen.add(key);
    const bytes = voteSignBytes(chainId, { type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT, height, round: commit.round ?? 0, blockId: commit.blockId, timestamp: sig.timestamp ?? {} });
    if (!verifyEd25519(validator.publicKey, bytes, sig.signature ?? new Uint8Array())) return `invalid commit signature from ${key.toUpperCase()}`;
    signed += validator.votingPower;
  }
  if (signed * 3 <= total * 2) return `commit has ${signed} of ${total} voting power, needs more than 2/3`;
  return undefined;
}
