import type { CID } from 'multiformats/cid';
import { getBlock, type BlockStore } from './blockstore.js';
import { RAW_CODE } from './block.js';
import { decodeBlock } from './dag-node.js';

/** A CID as a map key: its exact bytes (version 1), without the cost of a multibase string. */
export function cidKey(cid: CID): string {
  return Buffer.from(cid.toV1().bytes).toString('latin1');
}

/**
 * Every block CID of the DAG under `root`, each once, root first. Only dag-pb nodes are read: a raw
 * leaf is known from the link to it, so listing a large file costs a few small reads. Throws
 * MissingBlockError when a dag-pb node is not in the store.
 */
export async function dagCids(store: Pick<BlockStore, 'get'>, root: CID): Promise<CID[]> {
  const out: CID[] = [];
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const cid = stack.pop()!;
    const key = cidKey(cid);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(cid);
    if (cid.code === RAW_CODE) continue;
    const { links } = decodeBlock(cid, await getBlock(store, cid));
    for (let i = links.length - 1; i >= 0; i--) stack.push(links[i]!.Hash);
  }
  return out;
}
