import { randomBytes } from '@noble/hashes/utils.js';
import { canonicalJson, fromUtf8, hex, sha256Of, utf8 } from './bytes.js';
import type { InclusionProof } from './merkle.js';

/**
 * What travels inside the ratchet: canonical JSON (keys sorted, no whitespace) of a text message or
 * of an anchor receipt. A text message's id is hex SHA-256 of those exact bytes; the 16-byte random
 * salt keeps anchored hashes of short messages ("yes") from being guessed.
 */
export interface TextMessage {
  readonly v: 1;
  readonly type: 'text';
  /** Sender's identity key, hex. */
  readonly from: string;
  /** Every recipient's identity key (one for 1:1, the other members for a group), hex, sorted. */
  readonly to: readonly string[];
  readonly group?: { readonly id: string; readonly name: string };
  /** The sender's message counter (all conversations): orders a sender's messages. */
  readonly seq: number;
  /** Unix milliseconds at the sender. */
  readonly sent: number;
  readonly salt: string;
  readonly text: string;
}

/** Sent after the sender anchored a batch: the proofs of the messages this recipient got. */
export interface AnchorReceipt {
  readonly v: 1;
  readonly type: 'anchor';
  readonly from: string;
  readonly namespace: string;
  readonly txhash: string;
  readonly proofs: readonly (InclusionProof & { readonly id: string })[];
}

export type Payload = TextMessage | AnchorReceipt;

export const MAX_TEXT_BYTES = 16 * 1024;

export function textMessage(fields: Omit<TextMessage, 'v' | 'type' | 'salt'>): TextMessage {
  if (utf8(fields.text).length > MAX_TEXT_BYTES) throw new Error(`a message is at most ${MAX_TEXT_BYTES} bytes of text`);
  return { v: 1, type: 'text', ...fields, to: [...fields.to].sort(), salt: hex(randomBytes(16)) };
}

export const encodePayload = (p: Payload): Uint8Array => utf8(canonicalJson(p));

/** The message id: hex SHA-256 of the canonical JSON. */
export const messageId = (m: TextMessage): string => hex(sha256Of(encodePayload(m)));

export function decodePayload(bytes: Uint8Array): Payload {
  const text = fromUtf8(bytes);
  const value = JSON.parse(text) as Payload;
  if (canonicalJson(value) !== text) throw new Error('the payload is not canonical JSON');
  if (value?.v !== 1 || (value.type !== 'text' && value.type !== 'anchor') || typeof value.from !== 'string') throw new Error('unknown payload');
  if (value.type === 'text' && (typeof value.text !== 'string' || !Array.isArray(value.to) || !Number.isInteger(value.seq) || !Number.isFinite(value.sent))) throw new Error('malformed text message');
  return value;
}
