/** What the DAG walkers (CAR export, CAR import checks) need to know of one block. */
import { decode as decodeDagPb, type PBLink } from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import type { CID } from 'multiformats/cid';
import { RAW_CODE, assertSupportedCid } from './block.js';
import { ContentError } from './errors.js';

export interface DagNode {
  links: PBLink[];
  /** The UnixFS metadata of a dag-pb node, when its Data holds any. */
  unixfs: UnixFS | undefined;
  /** Bytes of file data held in this block itself (a raw leaf, or inline data of a UnixFS file node). */
  dataBytes: bigint;
}

/** Decodes a block already known to match its supported CID; throws ContentError on malformed dag-pb. */
export function decodeBlock(cid: CID, bytes: Uint8Array): DagNode {
  assertSupportedCid(cid);
  if (cid.code === RAW_CODE) return { links: [], unixfs: undefined, dataBytes: BigInt(bytes.length) };
  let node;
  try {
    node = decodeDagPb(bytes);
  } catch (err) {
    throw new ContentError(`block ${cid.toString()} is not valid dag-pb (${(err as Error).message})`);
  }
  let unixfs: UnixFS | undefined;
  if (node.Data !== undefined) {
    try {
      unixfs = UnixFS.unmarshal(node.Data);
    } catch {
      unixfs = undefined;
    }
  }
  const isFileData = unixfs !== undefined && (unixfs.type === 'file' || unixfs.type === 'raw');
  return { links: node.Links, unixfs, dataBytes: isFileData ? BigInt(unixfs!.data?.length ?? 0) : 0n };
}

/**
 * Children that belong to the same UnixFS entity (trustless gateway `dag-scope=entity`): every link of a
 * file node, the sub-shards of a HAMT directory; none for a plain directory, a symlink or a raw leaf.
 */
export function entityChildren(node: DagNode): CID[] {
  const type = node.unixfs?.type;
  if (type === 'file' || type === 'raw') return node.links.map((l) => l.Hash);
  if (type === 'hamt-sharded-directory') {
    const prefix = (Number(node.unixfs!.fanout ?? 256n) - 1).toString(16).length;
    return node.links.filter((l) => (l.Name ?? '').length === prefix).map((l) => l.Hash);
  }
  return [];
}
