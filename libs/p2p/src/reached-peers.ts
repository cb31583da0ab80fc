import { createHash } from 'node:crypto';

/**
 * Gossip that says whom its publisher sent it to. Gossipsub publishes to every subscribed peer
 * (flood publish), then each receiver forwards to its mesh peers: in a full mesh every node gets
 * each message once from the publisher and again from every other receiver, and pays for the
 * copies it throws away (decryption, framing, hashing) and for the ones it forwards. With the
 * publisher's reached peers in the message, a receiver whose topic peers all got it first-hand
 * delivers it without forwarding; one with a peer the publisher could not reach forwards as usual.
 *
 * Envelope: u8 count, then count 8-byte tags (the first bytes of SHA-256 of a peer id), then the
 * payload. A count of 0 means "unknown" (too many peers to list): receivers forward.
 */
export const MAX_LISTED_PEERS = 64;
const TAG_BYTES = 8;

const tags = new Map<string, string>();

export function peerTag(peerId: string): string {
  let tag = tags.get(peerId);
  if (tag === undefined) {
    if (tags.size >= 10_000) tags.clear(); // peers come and go; the live ones are re-tagged on use
    tags.set(peerId, (tag = createHash('sha256').update(peerId).digest().subarray(0, TAG_BYTES).toString('hex')));
  }
  return tag;
}

export function wrapReached(reached: readonly string[], payload: Uint8Array): Uint8Array {
  const listed = reached.length <= MAX_LISTED_PEERS ? reached : [];
  const out = Buffer.allocUnsafe(1 + listed.length * TAG_BYTES + payload.length);
  out[0] = listed.length;
  listed.forEach((peer, i) => out.write(peerTag(peer), 1 + i * TAG_BYTES, 'hex'));
  out.set(payload, 1 + listed.length * TAG_BYTES);
  return out;
}

export interface Reached {
  /** Tags of the peers the publisher sent the message to (itself included); undefined when not listed. */
  readonly tags: ReadonlySet<string> | undefined;
  readonly payload: Uint8Array;
}

/** Undefined when the envelope is malformed. */
export function unwrapReached(data: Uint8Array): Reached | undefined {
  if (data.length < 1) return undefined;
  const count = data[0]!;
  const start = 1 + count * TAG_BYTES;
  if (count > MAX_LISTED_PEERS || data.length < start) return undefined;
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const tags = new Set<string>();
  for (let i = 0; i < count; i++) tags.add(buf.toString('hex', 1 + i * TAG_BYTES, 1 + (i + 1) * TAG_BYTES));
  return { tags: count === 0 ? undefined : tags, payload: data.subarray(start) };
}

/** Whether a receiver must forward: some topic peer of its own (not the one it came from) was not reached. */
export function mustForward(reached: Reached, topicPeers: readonly string[], from: string): boolean {
  if (reached.tags === undefined) return true;
  return topicPeers.some((peer) => peer !== from && !reached.tags!.has(peerTag(peer)));
}
