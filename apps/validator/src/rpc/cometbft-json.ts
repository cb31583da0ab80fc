import { toBase64, toUpperHex } from '@trucom/crypto';
import { DuplicateVoteEvidence, type Block, type BlockID, type Commit, type CommitSig, type ExecTxResult, type ValidatorInfo } from '@trucom/chain';
import type { trucom } from '@trucom/proto';

/**
 * Our block, vote and result types rendered as CometBFT 0.38 JSON: 64-bit integers as strings,
 * hashes as upper-case hex, bytes as base64, times as RFC 3339 with nanoseconds.
 */

type Bytes = Uint8Array | null | undefined;
const hex = (b: Bytes) => (b && b.length ? toUpperHex(b) : '');
const b64 = (b: Bytes) => (b ? toBase64(b) : '');

export function rfc3339(t: trucom.types.v1.ITimestamp | null | undefined): string {
  const seconds = Number(t?.seconds ?? 0);
  if (!t || (seconds === 0 && !t.nanos)) return '0001-01-01T00:00:00Z';
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${iso}.${String(t.nanos ?? 0).padStart(9, '0')}Z`;
}

export function blockIdJson(id: trucom.types.v1.IBlockID | null | undefined) {
  return { hash: hex(id?.hash), parts: { total: id?.partSetHeader?.total ?? 0, hash: hex(id?.partSetHeader?.hash) } };
}

export function headerJson(h: trucom.types.v1.IHeader) {
  return {
    version: { block: String(h.version?.block ?? 0), app: String(h.version?.app ?? 0) },
    chain_id: h.chainId ?? '',
    height: String(h.height ?? 0),
    time: rfc3339(h.time),
    last_block_id: blockIdJson(h.lastBlockId),
    last_commit_hash: hex(h.lastCommitHash),
    data_hash: hex(h.dataHash),
    validators_hash: hex(h.validatorsHash),
    next_validators_hash: hex(h.nextValidatorsHash),
    consensus_hash: hex(h.consensusHash),
    app_hash: hex(h.appHash),
    last_results_hash: hex(h.lastResultsHash),
    evidence_hash: hex(h.evidenceHash),
    proposer_address: hex(h.proposerAddress),
  };
}

function commitSigJson(s: CommitSig) {
  const absent = s.blockIdFlag === 1;
  return {
    block_id_flag: s.blockIdFlag ?? 1,
    validator_address: absent ? '' : hex(s.validatorAddress),
    timestamp: absent ? '0001-01-01T00:00:00Z' : rfc3339(s.timestamp),
    signature: absent ? null : b64(s.signature),
  };
}

export function commitJson(c: trucom.types.v1.ICommit | null | undefined) {
  return {
    height: String(c?.height ?? 0),
    round: c?.round ?? 0,
    block_id: blockIdJson(c?.blockId),
    signatures: (c?.signatures ?? []).map(commitSigJson),
  };
}

/** CometBFT's types.Vote JSON: the type as a number, height as a string, round and index as numbers. */
export function voteJson(v: trucom.types.v1.IVote | null | undefined) {
  return {
    type: v?.type ?? 0,
    height: String(v?.height ?? 0),
    round: v?.round ?? 0,
    block_id: blockIdJson(v?.blockId),
    timestamp: rfc3339(v?.timestamp),
    validator_address: hex(v?.validatorAddress),
    validator_index: v?.validatorIndex ?? 0,
    signature: b64(v?.signature),
    extension: null,
    extension_signature: null,
  };
}

/**
 * One piece of committed evidence (a DuplicateVoteEvidence, the only kind blocks carry) as CometBFT
 * renders it: amino-style `{type, value}`, with the ABCI fields under their Go names (they have no
 * JSON tags in CometBFT).
 */
export function evidenceJson(bytes: Uint8Array) {
  const ev = DuplicateVoteEvidence.decode(bytes);
  return {
    type: 'tendermint/DuplicateVoteEvidence',
    value: {
      vote_a: voteJson(ev.voteA),
      vote_b: voteJson(ev.voteB),
      TotalVotingPower: String(ev.totalVotingPower ?? 0),
      ValidatorPower: String(ev.validatorPower ?? 0),
      Timestamp: rfc3339(ev.timestamp),
    },
  };
}

export function blockJson(b: Block) {
  return {
    header: headerJson(b.header!),
    data: { txs: (b.data?.txs ?? []).map(b64) },
    evidence: { evidence: (b.evidence?.evidence ?? []).map(evidenceJson) },
    last_commit: commitJson(b.lastCommit),
  };
}

export function eventsJson(events: readonly trucom.chain.v1.IEvent[] | null | undefined) {
  return (events ?? []).map((e) => ({
    type: e.type ?? '',
    attributes: (e.attributes ?? []).map((a) => ({ key: a.key ?? '', value: a.value ?? '', index: a.index ?? false })),
  }));
}

export function txResultJson(r: ExecTxResult | null | undefined) {
  return {
    code: r?.code ?? 0,
    data: b64(r?.data),
    log: r?.log ?? '',
    info: r?.info ?? '',
    gas_wanted: String(r?.gasWanted ?? 0),
    gas_used: String(r?.gasUsed ?? 0),
    events: eventsJson(r?.events),
    codespace: r?.codespace ?? '',
  };
}

export function pubKeyJson(publicKey: Uint8Array) {
  return { type: 'tendermint/PubKeyEd25519', value: toBase64(publicKey) };
}

export function validatorJson(v: ValidatorInfo) {
  return { address: hex(v.address), pub_key: pubKeyJson(v.publicKey), voting_power: String(v.votingPower), proposer_priority: '0' };
}

export type { BlockID, Commit };
