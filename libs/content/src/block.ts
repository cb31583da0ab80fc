import { hash } from 'node:crypto';
import { CID } from 'multiformats/cid';
import { UnsupportedCidError } from './errors.js';

/** Multicodec codes of the only block formats this network stores. */
export const RAW_CODE = 0x55;
export const DAG_PB_CODE = 0x70;
/** Multihash code of sha2-256, the only hash accepted. */
export const SHA2_256_CODE = 0x12;
/** Largest block accepted from outside (CARs, proofs): the usual IPFS limit, above 1 MiB chunks. */
export const MAX_BLOCK_BYTES = 2 * 1024 * 1024;

/** Whether a CID is one we store and verify: sha2-256 (32-byte digest), codec raw or dag-pb. */
export function isSupportedCid(cid: CID): boolean {
  return (
    cid.multihash.code === SHA2_256_CODE &&
    cid.multihash.size === 32 &&
    (cid.code === RAW_CODE || cid.code === DAG_PB_CODE)
  );
}

export function assertSupportedCid(cid: CID): void {
  if (!isSupportedCid(cid)) {
    throw new UnsupportedCidError(
      `CID ${cid.toString()} uses codec 0x${cid.code.toString(16)} and hash 0x${cid.multihash.code.toString(16)}; only sha2-256 with raw or dag-pb is accepted`,
    );
  }
}

/** Whether a supported `cid` carries exactly this sha2-256 `digest`. */
export function cidHasDigest(cid: CID, digest: Uint8Array): boolean {
  if (!isSupportedCid(cid) || digest.length !== 32) return false;
  const want = cid.multihash.digest;
  for (let i = 0; i < 32; i++) if (want[i] !== digest[i]) return false;
  return true;
}

/**
 * Whether `bytes` hash to a supported `cid` (OpenSSL sha2-256).
 */
export function blockMatches(cid: CID, bytes: Uint8Array): boolean {
  return cidHasDigest(cid, hash('sha256', bytes, 'buffer') as unknown as Uint8Array);
}
