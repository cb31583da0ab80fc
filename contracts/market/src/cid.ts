import { CID } from 'multiformats/cid';

const DAG_PB = 0x70;
const RAW = 0x55;
const SHA2_256 = 0x12;

/**
 * A deal's root CID in its canonical string form (CIDv1 base32, CIDv0 base58btc), or a reason it is
 * not acceptable: UnixFS roots only (dag-pb or raw codec), SHA-256 multihash.
 */
export function parseRootCid(s: string): { cid: string } | { error: string } {
  if (s.length === 0 || s.length > 128) return { error: `CID ${JSON.stringify(s.slice(0, 130))} must be 1-128 characters` };
  let cid: CID;
  try {
    cid = CID.parse(s);
  } catch (err) {
    return { error: `cannot parse CID ${JSON.stringify(s)}: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (cid.code !== DAG_PB && cid.code !== RAW) return { error: `CID ${s} has codec 0x${cid.code.toString(16)}; only dag-pb (0x70) and raw (0x55) roots are accepted` };
  if (cid.multihash.code !== SHA2_256) return { error: `CID ${s} uses multihash 0x${cid.multihash.code.toString(16)}; only sha2-256 is accepted` };
  return { cid: cid.toString() };
}
