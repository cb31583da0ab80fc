/**
 * Named CID profiles: how bytes become a UnixFS DAG. A storage deal records the profile name next to
 * the root CID so any node can re-import the same bytes and get the same CID.
 */
import type { ImporterOptions } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { UnknownProfileError } from './errors.js';

export interface CidProfile {
  readonly name: string;
  readonly cidVersion: 1;
  /** File chunks are raw blocks (codec 0x55), not UnixFS-wrapped dag-pb leaves. */
  readonly rawLeaves: true;
  /** Fixed chunk size in bytes. */
  readonly chunkSize: number;
  /** Width of the balanced file DAG. */
  readonly maxChildrenPerNode: number;
  /** When a directory turns into a HAMT: the importer's estimate and threshold (bytes). */
  readonly shardSplitStrategy: 'links-bytes' | 'block-bytes';
  readonly shardSplitThresholdBytes: number;
}

export const CID_PROFILES = {
  /** Kubo `ipfs add --cid-version=1`: raw leaves, 256 KiB fixed chunks, balanced DAG of width 174, sha2-256. */
  'cidv1-256k-174': {
    name: 'cidv1-256k-174',
    cidVersion: 1,
    rawLeaves: true,
    chunkSize: 262_144,
    maxChildrenPerNode: 174,
    shardSplitStrategy: 'links-bytes',
    shardSplitThresholdBytes: 262_144,
  },
  /** IPIP-499 `unixfs-v1-2025`: raw leaves, 1 MiB fixed chunks, balanced DAG of width 1024, sha2-256. */
  'unixfs-v1-2025': {
    name: 'unixfs-v1-2025',
    cidVersion: 1,
    rawLeaves: true,
    chunkSize: 1_048_576,
    maxChildrenPerNode: 1024,
    shardSplitStrategy: 'block-bytes',
    shardSplitThresholdBytes: 262_144,
  },
} as const satisfies Record<string, CidProfile>;

export type CidProfileName = keyof typeof CID_PROFILES;

export const DEFAULT_PROFILE: CidProfile = CID_PROFILES['cidv1-256k-174'];

export function isProfileName(name: string): name is CidProfileName {
  return Object.hasOwn(CID_PROFILES, name);
}

/** The profile recorded under `name`; throws UnknownProfileError naming the known ones. */
export function profileByName(name: string): CidProfile {
  if (!isProfileName(name)) {
    throw new UnknownProfileError(`unknown CID profile ${JSON.stringify(name)}; known: ${Object.keys(CID_PROFILES).join(', ')}`);
  }
  return CID_PROFILES[name];
}

/** Fresh ipfs-unixfs-importer options for a profile (the importer mutates its options object). */
export function importerOptions(profile: CidProfile): ImporterOptions {
  return {
    cidVersion: profile.cidVersion,
    rawLeaves: profile.rawLeaves,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: profile.chunkSize }),
    layout: balanced({ maxChildrenPerNode: profile.maxChildrenPerNode }),
    shardSplitStrategy: profile.shardSplitStrategy,
    shardSplitThresholdBytes: profile.shardSplitThresholdBytes,
  };
}
