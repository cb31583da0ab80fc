import { isValidAddress } from '@trucom/crypto';
import { ErrInvalidAddress, type MsgHandler } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { ErrInvalidCount, ErrInvalidNamespace, ErrInvalidRoot } from './errors.js';
import type { AnchorsKeeper } from './keeper.js';
import { MAX_ANCHOR_COUNT, NAMESPACE, ROOT_BYTES } from './params.js';

const pb = trucom.anchors.v1;

export const ANCHORS_MSG_TYPES = {
  '/trucom.anchors.v1.MsgAnchor': pb.MsgAnchor,
} as const;

/** [typeUrl, protobufjs class] pairs for a cosmjs Registry. */
export const anchorsRegistryTypes = Object.entries(ANCHORS_MSG_TYPES) as [string, (typeof ANCHORS_MSG_TYPES)[keyof typeof ANCHORS_MSG_TYPES]][];

export function checkRoot(root: Uint8Array): void {
  if (root.length !== ROOT_BYTES) throw ErrInvalidRoot(`a Merkle root is ${ROOT_BYTES} bytes, got ${root.length}`);
}

export function checkCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_ANCHOR_COUNT) throw ErrInvalidCount(`an anchor covers 1 to ${MAX_ANCHOR_COUNT} messages, got ${count}`);
}

export function checkNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace)) throw ErrInvalidNamespace(`${JSON.stringify(namespace.slice(0, 70))} is not a namespace ([A-Za-z0-9._:-], 1-64 characters)`);
}

export function anchorsMsgHandlers(keeper: AnchorsKeeper): MsgHandler[] {
  const handler: MsgHandler<trucom.anchors.v1.MsgAnchor> = {
    typeUrl: '/trucom.anchors.v1.MsgAnchor',
    decode: (bytes) => pb.MsgAnchor.decode(bytes),
    signers: (m) => [m.sender],
    validate(m) {
      if (!isValidAddress(m.sender)) throw ErrInvalidAddress(`invalid sender address ${JSON.stringify(m.sender.slice(0, 70))}`);
      checkRoot(m.root);
      checkCount(m.count);
      checkNamespace(m.namespace);
    },
    execute(ctx, m) {
      const a = keeper.anchor(ctx, m.sender, m.root, m.count, m.namespace);
      return { typeUrl: '/trucom.anchors.v1.MsgAnchorResponse', value: pb.MsgAnchorResponse.encode({ height: a.height }).finish() };
    },
  };
  return [handler as MsgHandler];
}
