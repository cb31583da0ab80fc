import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** HLS AES-128: whole-segment AES-128-CBC with PKCS7 padding, IV = the media sequence number (RFC 8216 §5.2). */
export const KEY_BYTES = 16;

export function newContentKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function sequenceIv(mediaSequence: number): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(mediaSequence), 8);
  return iv;
}

export function encryptSegment(clear: Uint8Array, key: Uint8Array, mediaSequence: number): Buffer {
  const c = createCipheriv('aes-128-cbc', key, sequenceIv(mediaSequence));
  return Buffer.concat([c.update(clear), c.final()]);
}

export function decryptSegment(encrypted: Uint8Array, key: Uint8Array, mediaSequence: number): Buffer {
  const d = createDecipheriv('aes-128-cbc', key, sequenceIv(mediaSequence));
  return Buffer.concat([d.update(encrypted), d.final()]);
}
