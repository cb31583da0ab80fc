import { fromHex, toHex } from '@trucom/crypto';
import { ErrInvalidRequest, ErrKeyNotFound, type QueryHandler } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { decodeAnchor, type Anchor, type AnchorsKeeper } from './keeper.js';
import { anchorsOfRootPrefix } from './keys.js';
import { NAMESPACE, ROOT_BYTES } from './params.js';

const pb = trucom.anchors.v1;

/** Query path `/trucom.anchors.v1.Query/Anchor`: a root's anchors (every namespace, or one). */
export function anchorsQueries(keeper: AnchorsKeeper): Record<string, QueryHandler> {
  return {
    '/trucom.anchors.v1.Query/Anchor': async (ctx, data) => {
      const { root, namespace } = pb.QueryAnchorRequest.decode(data);
      if (root.length !== ROOT_BYTES) throw ErrInvalidRequest(`a Merkle root is ${ROOT_BYTES} bytes, got ${root.length}`);
      if (namespace && !NAMESPACE.test(namespace)) throw ErrInvalidRequest(`invalid namespace ${JSON.stringify(namespace.slice(0, 70))}`);
      const anchors: Anchor[] = [];
      if (namespace) {
        const a = keeper.getAnchor(ctx.store, root, namespace);
        if (a) anchors.push(a);
      } else {
        for await (const [, value] of ctx.store.iterate(anchorsOfRootPrefix(toHex(root)))) anchors.push(decodeAnchor(value));
      }
      if (anchors.length === 0) throw ErrKeyNotFound(`rpc error: code = NotFound desc = anchor of root ${toHex(root)}${namespace ? ` in namespace ${namespace}` : ''} not found`);
      return pb.QueryAnchorResponse.encode({ anchors }).finish();
    },
  };
}

/** The root of a REST path or CLI argument: 64 hex digits. */
export function parseRootHex(text: string): Uint8Array | undefined {
  return /^[0-9a-fA-F]{64}$/.test(text) ? fromHex(text.toLowerCase()) : undefined;
}
