import { trucom } from '@trucom/proto';
import { unhex } from './bytes.js';

/** The namespace messaging anchors its roots in. */
export const MESSAGING_NAMESPACE = 'msg';

export interface AnchorRecord {
  readonly root: string;
  readonly namespace: string;
  readonly sender: string;
  readonly count: number;
  readonly height: number;
  /** Block time, unix seconds. */
  readonly time: number;
}

/** The MsgAnchor a client signs (cosmjs EncodeObject shape; the type registers itself from the protos). */
export const msgAnchor = (sender: string, root: string, count: number, namespace = MESSAGING_NAMESPACE) => ({
  typeUrl: '/trucom.anchors.v1.MsgAnchor',
  value: { sender, root: unhex(root, 32, 'Merkle root'), count, namespace },
});

/**
 * The anchor of `root` in `namespace` through a validator's CometBFT RPC (`abci_query`), or
 * undefined when the chain has none. Plain fetch: usable from the CLI, the dashboard and tests.
 */
export async function queryAnchor(rpc: string, root: string, namespace = MESSAGING_NAMESPACE): Promise<AnchorRecord | undefined> {
  const data = Buffer.from(trucom.anchors.v1.QueryAnchorRequest.encode({ root: unhex(root, 32, 'Merkle root'), namespace }).finish()).toString('hex');
  const url = `${rpc.replace(/\/+$/, '')}/abci_query?path=${encodeURIComponent('"/trucom.anchors.v1.Query/Anchor"')}&data=0x${data}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`abci_query on ${rpc}: HTTP ${res.status}`);
  const body = (await res.json()) as { result?: { response: { code?: number; log?: string; value?: string } }; error?: { message: string; data?: string } };
  if (!body.result) throw new Error(`abci_query on ${rpc}: ${body.error?.message ?? 'no result'} ${body.error?.data ?? ''}`);
  const r = body.result.response;
  if ((r.code ?? 0) === 22 || (r.code ?? 0) === 38) return undefined;
  if ((r.code ?? 0) !== 0) throw new Error(`anchor query refused: ${r.log ?? r.code}`);
  const a = trucom.anchors.v1.QueryAnchorResponse.decode(Buffer.from(r.value ?? '', 'base64')).anchors[0];
  if (!a) return undefined;
  return { root, namespace: a.namespace ?? namespace, sender: a.sender ?? '', count: Number(a.count), height: Number(a.height), time: Number(a.time) };
}
