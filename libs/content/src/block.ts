import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import { UnsupportedCidError } from './errors.js';

/** Multicodec codes of the only block formats this network stores. */
export const RAW_CODE = 0x55;
export const DAG_PB_CODE = 0x70;
/** Multihash code of sha2-256, the only hash accepted. */
export const SHA2_256_CODE = 0x12;

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

/** Whether `bytes` hash (sha2-256, synchronously) to the digest of a supported `cid`. */
export function blockMatches(cid: CID, bytes: Uint8Array): boolean {
  if (!isSupportedCid(cid)) return false;
  const want = cid.multihash.digest;
  const got = sha256(bytes);
  for (let i = 0; i < 32; i++) if (want[i] !== got[i]) return false;
  return true;
}
