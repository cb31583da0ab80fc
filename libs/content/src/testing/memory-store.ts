/** An in-memory BlockStore for tests. */
import type { CID } from 'multiformats/cid';
import type { BlockBytes, BlockStore } from '../blockstore.js';
import { MissingBlockError } from '../errors.js';
import { collect } from './data.js';

export class MemoryStore implements BlockStore {
  readonly blocks = new Map<string, Uint8Array>();

  async put(cid: CID, val: BlockBytes): Promise<CID> {
    this.blocks.set(cid.toString(), val instanceof Uint8Array ? val : await collect(val));
    return cid;
  }

  async *get(cid: CID): AsyncGenerator<Uint8Array> {
    yield await this.bytes(cid);
  }

  async bytes(cid: CID): Promise<Uint8Array> {
    const b = this.blocks.get(cid.toString());
    if (b === undefined) throw new MissingBlockError(cid.toString());
    return b;
  }

  async has(cid: CID): Promise<boolean> {
    return this.blocks.has(cid.toString());
  }
}
