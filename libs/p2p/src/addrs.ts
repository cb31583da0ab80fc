import { peerIdFromString } from '@libp2p/peer-id';
import { CODE_P2P, CODE_P2P_CIRCUIT, multiaddr, type Multiaddr } from '@multiformats/multiaddr';

const MAX_ADDR_CHARS = 256;

/** True if `id` is a well-formed libp2p peer id string. */
export function isPeerIdString(id: unknown): id is string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) return false;
  try {
    peerIdFromString(id);
    return true;
  } catch {
    return false;
  }
}

/** Parses `addr`, returning undefined for anything that is not a plain (non-relayed) multiaddr. */
export function parseAddr(addr: unknown): Multiaddr | undefined {
  if (typeof addr !== 'string' || addr.length === 0 || addr.length > MAX_ADDR_CHARS) return undefined;
  try {
    const ma = multiaddr(addr);
    if (ma.getComponents().some((c) => c.code === CODE_P2P_CIRCUIT)) return undefined;
    return ma;
  } catch {
    return undefined;
  }
}

/** The multiaddr without any trailing /p2p/<id>, as stored in the peer book. */
export function withoutPeerId(ma: Multiaddr): string {
  return ma.getComponents().some((c) => c.code === CODE_P2P) ? ma.decapsulateCode(CODE_P2P).toString() : ma.toString();
}

/** Splits "/ip4/1.2.3.4/tcp/1/p2p/<id>" into the peer id and the transport address. */
export function splitPeerAddr(addr: string): { peerId: string; addr: string } {
  const ma = parseAddr(addr);
  if (ma === undefined) throw new Error(`invalid multiaddr: ${addr}`);
  const p2p = ma.getComponents().filter((c) => c.code === CODE_P2P).pop();
  if (p2p?.value === undefined || !isPeerIdString(p2p.value)) throw new Error(`multiaddr has no /p2p/<peerId>: ${addr}`);
  return { peerId: p2p.value, addr: withoutPeerId(ma) };
}

/** The dialable form of a book address for `peerId`. */
export function dialAddr(addr: string, peerId: string): Multiaddr {
  return multiaddr(`${addr}/p2p/${peerId}`);
}
