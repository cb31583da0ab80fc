import { toHex } from '@trucom/crypto';
import type { Context, ReadonlyKVStore } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { ErrDuplicateAnchor } from './errors.js';
import { anchorKey } from './keys.js';

const pb = trucom.anchors.v1;

export interface Anchor {
  readonly root: Uint8Array;
  readonly namespace: string;
  readonly sender: string;
  readonly count: number;
  readonly height: number;
  /** Block time, unix seconds. */
  readonly time: number;
}

export const decodeAnchor = (b: Uint8Array): Anchor => {
  const a = pb.Anchor.decode(b);
  return { root: a.root, namespace: a.namespace, sender: a.sender, count: a.count, height: a.height, time: a.time };
};

/**
 * Anchors: (root, namespace) → the block that recorded it. One write per anchor whatever the count,
 * so its gas (and fee) does not grow with the number of messages under the root.
 */
export class AnchorsKeeper {
  getAnchor(store: ReadonlyKVStore, root: Uint8Array, namespace: string): Anchor | undefined {
    const v = store.get(anchorKey(toHex(root), namespace));
    return v ? decodeAnchor(v) : undefined;
  }

  anchor(ctx: Context, sender: string, root: Uint8Array, count: number, namespace: string): Anchor {
    const key = anchorKey(toHex(root), namespace);
    const existing = ctx.store.get(key);
    if (existing) {
      const a = decodeAnchor(existing);
      throw ErrDuplicateAnchor(`root ${toHex(root)} was already anchored in namespace ${JSON.stringify(namespace)} at height ${a.height} by ${a.sender}`);
    }
    const a: Anchor = { root, namespace, sender, count, height: ctx.block.height, time: ctx.block.time.seconds };
    ctx.store.set(key, pb.Anchor.encode(a).finish());
    ctx.events.emit('anchor', { root: toHex(root), namespace, sender, count: String(count), height: String(a.height), time: String(a.time) });
    return a;
  }
}
