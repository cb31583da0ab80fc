import { isPeerIdString, parseAddr, withoutPeerId } from './addrs.js';
import { MAX_ADDRS_PER_PEER } from './peer-book.js';

/** Peer exchange: an empty request; the response lists the peers the responder knows. */
export const PEX_PROTOCOL = '/trucom/pex/1.0.0';
export const MAX_PEX_PEERS = 256;

export interface PexPeer {
  id: string;
  addrs: string[];
  /** Unix ms when the responder last knew the peer reachable at `addrs`. */
  lastSeen: number;
}

/** The response did not have the expected shape at all. */
export class PexDecodeError extends Error {
  override name = 'PexDecodeError';
}

export function encodePexResponse(peers: PexPeer[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ peers: peers.slice(0, MAX_PEX_PEERS) }));
}

/**
 * Decodes a pex response defensively. Throws PexDecodeError if it is not `{ peers: [...] }` within limits;
 * individually bad entries are skipped and counted in `invalid`. `lastSeen` is clamped to `now` so a peer
 * cannot make its records win forever by claiming the future.
 */
export function decodePexResponse(bytes: Uint8Array, now = Date.now()): { peers: PexPeer[]; invalid: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new PexDecodeError(`not JSON: ${(err as Error).message}`);
  }
  const list = (parsed as { peers?: unknown } | null)?.peers;
  if (!Array.isArray(list)) throw new PexDecodeError('missing "peers" array');
  if (list.length > MAX_PEX_PEERS) throw new PexDecodeError(`too many peers (${list.length} > ${MAX_PEX_PEERS})`);
  const peers: PexPeer[] = [];
  let invalid = 0;
  for (const item of list) {
    const p = decodePeer(item, now);
    if (p === undefined) invalid++;
    else peers.push(p);
  }
  return { peers, invalid };
}

function decodePeer(item: unknown, now: number): PexPeer | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { id, addrs, lastSeen } = item as Record<string, unknown>;
  if (!isPeerIdString(id)) return undefined;
  if (typeof lastSeen !== 'number' || !Number.isFinite(lastSeen) || lastSeen <= 0) return undefined;
  if (!Array.isArray(addrs) || addrs.length === 0 || addrs.length > MAX_ADDRS_PER_PEER) return undefined;
  const clean: string[] = [];
  for (const a of addrs) {
    const ma = parseAddr(a);
    if (ma === undefined) return undefined;
    clean.push(withoutPeerId(ma));
  }
  return { id, addrs: clean, lastSeen: Math.min(lastSeen, now) };
}
