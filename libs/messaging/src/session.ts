import { concat, hex, unhex } from './bytes.js';
import type { MessagingIdentity } from './identity.js';
import { HEADER_BYTES, initAlice, initBob, RatchetError, ratchetDecrypt, ratchetEncrypt, ratchetFromJson, ratchetToJson, type RatchetJson } from './ratchet.js';
import { sessionIdOf, x3dhInitiate, x3dhRespond } from './x3dh.js';

/**
 * Ratchet messages on the wire: version (1) ‖ kind (1: prekey, 2: normal) ‖ session id (16)
 * ‖ [prekey: IK_A (32) ‖ EK_A (32)] ‖ ratchet header (40) ‖ XChaCha20-Poly1305 ciphertext.
 * The initiator sends prekey messages until the first reply arrives, so the responder can set the
 * session up from any of them, in any order.
 *
 * Both sides may initiate at once (each adds the other's invite and writes first). Each then holds
 * two sessions; both keep decrypting on either, and both send on the one whose initiator has the
 * smaller identity key, so they converge without a round trip.
 */
const VERSION = 1;
const PREKEY = 1;
const NORMAL = 2;

export interface SessionRecord {
  ratchet: RatchetJson;
  /** Initiator's identity key, hex. */
  initiator: string;
  /** Set while we initiated and have had no reply: EK_A for the prekey messages. */
  ephemeral?: string;
}

export interface ContactSessions {
  sessions: Record<string, SessionRecord>;
  active?: string;
}

export class SessionError extends Error {
  override readonly name = 'SessionError';
}

/** Who a wire message comes from, before decrypting: its session id, and for prekey messages IK_A and EK_A. */
export function peekWire(wire: Uint8Array): { sessionId: string; prekey?: { identityKey: Uint8Array; ephemeralKey: Uint8Array } } {
  if (wire.length < 18 + HEADER_BYTES + 16 || wire[0] !== VERSION || (wire[1] !== PREKEY && wire[1] !== NORMAL)) throw new SessionError('not a ratchet message of a version this client reads');
  const sessionId = hex(wire.subarray(2, 18));
  if (wire[1] === NORMAL) return { sessionId };
  if (wire.length < 18 + 64 + HEADER_BYTES + 16) throw new SessionError('truncated prekey message');
  return { sessionId, prekey: { identityKey: wire.slice(18, 50), ephemeralKey: wire.slice(50, 82) } };
}

/** Encrypts for a contact, initiating X3DH if there is no session yet. Mutates `s`. */
export function sessionEncrypt(me: MessagingIdentity, peer: { identityKey: Uint8Array; prekey: Uint8Array }, s: ContactSessions, plaintext: Uint8Array): Uint8Array {
  if (!s.active) {
    const x = x3dhInitiate(me.identity, peer);
    s.sessions[x.sessionId] = { ratchet: ratchetToJson(initAlice(x.SK, peer.prekey, x.AD)), initiator: hex(me.identity.publicKey), ephemeral: hex(x.ephemeralKey) };
    s.active = x.sessionId;
  }
  const record = s.sessions[s.active]!;
  const ratchet = ratchetFromJson(record.ratchet);
  const { header, ciphertext } = ratchetEncrypt(ratchet, plaintext);
  record.ratchet = ratchetToJson(ratchet);
  const id = unhex(s.active, 16);
  return record.ephemeral
    ? concat(Uint8Array.of(VERSION, PREKEY), id, me.identity.publicKey, unhex(record.ephemeral, 32), header, ciphertext)
    : concat(Uint8Array.of(VERSION, NORMAL), id, header, ciphertext);
}

/**
 * Decrypts a message from a contact whose identity key is `peerIdentity`. Throws RatchetError
 * (TAMPERED, REPLAY, TOO_MANY_SKIPPED) or SessionError; on failure `s` is unchanged.
 */
export function sessionDecrypt(me: MessagingIdentity, peerIdentity: Uint8Array, s: ContactSessions, wire: Uint8Array): Uint8Array {
  const peek = peekWire(wire);
  const offset = 18 + (peek.prekey ? 64 : 0);
  const header = wire.subarray(offset, offset + HEADER_BYTES);
  const ciphertext = wire.subarray(offset + HEADER_BYTES);
  let record = s.sessions[peek.sessionId];
  let created = false;
  if (peek.prekey) {
    if (hex(peek.prekey.identityKey) !== hex(peerIdentity)) throw new SessionError('the prekey message names another identity than the contact');
    if (sessionIdOf(peek.prekey.identityKey, peek.prekey.ephemeralKey) !== peek.sessionId) throw new SessionError('the session id does not match the prekey message (tampered)');
  }
  if (!record) {
    if (!peek.prekey) throw new SessionError('a message of a session this client does not know (lost state, or not for us)');
    const x = x3dhRespond(me.identity, me.prekey, peek.prekey.identityKey, peek.prekey.ephemeralKey);
    record = { ratchet: ratchetToJson(initBob(x.SK, me.prekey, x.AD)), initiator: hex(peerIdentity) };
    created = true;
  }
  const ratchet = ratchetFromJson(record.ratchet);
  const plaintext = ratchetDecrypt(ratchet, header, ciphertext);
  // Anything received on a session we initiated is a reply: the peer has the session, prekey messages stop.
  s.sessions[peek.sessionId] = { ratchet: ratchetToJson(ratchet), initiator: record.initiator };
  if (created) {
    const current = s.active ? s.sessions[s.active] : undefined;
    if (!current || record.initiator < current.initiator) s.active = peek.sessionId;
  }
  return plaintext;
}

export { RatchetError };
