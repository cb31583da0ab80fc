/** A CAR in, a complete verified DAG out: for uploads of pre-built DAGs and for replication. */
import type { CID } from 'multiformats/cid';
import { assertSupportedCid } from './block.js';
import { getBlock, type BlockStore } from './blockstore.js';
import { readVerifiedCar, type ByteStream } from './car.js';
import { decodeBlock, type DagNode } from './dag-node.js';
import { ContentError, InvalidCarError } from './errors.js';
import type { ImportedContent } from './import.js';

const keyOf = (cid: CID) => cid.toV1().toString();

/**
 * Stores every block of a CARv1 stream after checking it against its CID (BlockMismatchError on the first
 * that does not match), then requires exactly one root and a complete DAG under it: every reachable block
 * is in the CAR or already in the store (InvalidCarError otherwise). `size` is the file data under the root.
 * Blocks stored before a failure stay in the store.
 */
export async function importCar(store: BlockStore, stream: ByteStream): Promise<ImportedContent> {
  const car = await readVerifiedCar(stream);
  if (car.roots.length !== 1) throw new InvalidCarError(`a CAR upload needs exactly one root, this one has ${car.roots.length}`);
  const root = car.roots[0]!;
  assertSupportedCid(root);

  const nodes = new Map<string, DagNode>();
  for await (const { cid, bytes } of car.blocks) {
    await store.put(cid, bytes);
    nodes.set(keyOf(cid), describe(cid, bytes));
  }

  const nodeOf = async (cid: CID): Promise<DagNode> => {
    const known = nodes.get(keyOf(cid));
    if (known) return known;
    assertSupportedCid(cid);
    if (!(await store.has(cid))) throw new InvalidCarError(`incomplete DAG under ${root.toString()}: block ${cid.toString()} is missing`);
    const node = describe(cid, await getBlock(store, cid));
    nodes.set(keyOf(cid), node);
    return node;
  };

  // Post-order walk with a memo: each block is visited once, so shared subtrees cost nothing extra
  // while their data still counts once per reference (as the importer counts bytes read).
  const sizes = new Map<string, bigint>();
  const stack: { cid: CID; expanded: boolean }[] = [{ cid: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (sizes.has(keyOf(top.cid))) {
      stack.pop();
      continue;
    }
    const node = await nodeOf(top.cid);
    if (!top.expanded) {
      top.expanded = true;
      for (const link of node.links) if (!sizes.has(keyOf(link.Hash))) stack.push({ cid: link.Hash, expanded: false });
      continue;
    }
    let size = node.dataBytes;
    for (const link of node.links) size += sizes.get(keyOf(link.Hash))!;
    sizes.set(keyOf(top.cid), size);
    stack.pop();
  }
  return { root, size: sizes.get(keyOf(root))!, blocks: sizes.size };
}

function describe(cid: CID, bytes: Uint8Array): DagNode {
  try {
    return decodeBlock(cid, bytes);
  } catch (err) {
    if (err instanceof ContentError) throw new InvalidCarError(err.message);
    throw err;
  }
}
