import { x25519 } from '@noble/curves/ed25519.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import type { X25519Key } from '@trucom/crypto';
import { concat, hex, unhex, utf8 } from './bytes.js';

/**
 * The Double Ratchet (Perrin & Marlinspike, signal.org/docs/specifications/doubleratchet, rev. 4):
 * a DH ratchet over X25519, symmetric-key chains, skipped message keys kept for out-of-order
 * messages; no header encryption (whole ratchet messages travel inside sealed envelopes).
 * - KDF_RK(rk, dh) = HKDF-SHA256(salt = rk, ikm = dh, info = "trucom/ratchet/root/v1", 64) → (rk, ck)
 * - KDF_CK(ck) = (HMAC-SHA256(ck, 0x01) = mk, HMAC-SHA256(ck, 0x02) = next ck)
 * - ENCRYPT(mk, pt, ad) = XChaCha20-Poly1305 with (key 32, nonce 24) = HKDF-SHA256(ikm = mk,
 *   info = "trucom/ratchet/message/v1", 56); each mk encrypts one message, so a derived nonce is safe.
 * - header = dh (32) ‖ pn (u32 BE) ‖ n (u32 BE); the AEAD's associated data is AD ‖ header.
 */
export const MAX_SKIP = 1000;
/** Skipped message keys kept across all chains; the oldest go first. */
export const MAX_SKIPPED_KEYS = 2000;
export const HEADER_BYTES = 40;

export class RatchetError extends Error {
  override readonly name = 'RatchetError';
  constructor(
    readonly code: 'TAMPERED' | 'REPLAY' | 'TOO_MANY_SKIPPED' | 'MALFORMED',
    message: string,
  ) {
    super(message);
  }
}

export interface Header {
  readonly dh: Uint8Array;
  readonly pn: number;
  readonly n: number;
}

export interface RatchetState {
  DHs: X25519Key;
  DHr: Uint8Array | undefined;
  RK: Uint8Array;
  CKs: Uint8Array | undefined;
  CKr: Uint8Array | undefined;
  Ns: number;
  Nr: number;
  PN: number;
  /** `<DHr hex>:<n>` → message key, oldest first. */
  skipped: Map<string, Uint8Array>;
  /** Earlier remote ratchet keys (hex, newest last, at most 32): a message on one of them whose key is gone is a replay. */
  pastDHr: string[];
  /** X3DH associated data: IK_initiator ‖ IK_responder. */
  readonly AD: Uint8Array;
}

const x25519Pair = (secretKey: Uint8Array = randomBytes(32)): X25519Key => ({ secretKey, publicKey: x25519.getPublicKey(secretKey) });
const DH = (pair: X25519Key, pub: Uint8Array) => x25519.getSharedSecret(pair.secretKey, pub);

function kdfRK(rk: Uint8Array, dhOut: Uint8Array): [Uint8Array, Uint8Array] {
  const out = hkdf(sha256, dhOut, rk, utf8('trucom/ratchet/root/v1'), 64);
  return [out.slice(0, 32), out.slice(32)];
}
function kdfCK(ck: Uint8Array): [Uint8Array, Uint8Array] {
  return [hmac(sha256, ck, Uint8Array.of(1)), hmac(sha256, ck, Uint8Array.of(2))];
}
function aead(mk: Uint8Array, ad: Uint8Array) {
  const okm = hkdf(sha256, mk, undefined, utf8('trucom/ratchet/message/v1'), 56);
  return xchacha20poly1305(okm.subarray(0, 32), okm.subarray(32), ad);
}

export function encodeHeader(h: Header): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  out.set(h.dh, 0);
  const v = new DataView(out.buffer);
  v.setUint32(32, h.pn);
  v.setUint32(36, h.n);
  return out;
}
export function decodeHeader(b: Uint8Array): Header {
  if (b.length !== HEADER_BYTES) throw new RatchetError('MALFORMED', `a ratchet header is ${HEADER_BYTES} bytes, got ${b.length}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { dh: b.slice(0, 32), pn: v.getUint32(32), n: v.getUint32(36) };
}

/** Alice (the X3DH initiator): SK from X3DH and Bob's signed prekey as his first ratchet key. */
export function initAlice(SK: Uint8Array, bobRatchetKey: Uint8Array, AD: Uint8Array, dhs: X25519Key = x25519Pair()): RatchetState {
  const [RK, CKs] = kdfRK(SK, DH(dhs, bobRatchetKey));
  return { DHs: dhs, DHr: bobRatchetKey, RK, CKs, CKr: undefined, Ns: 0, Nr: 0, PN: 0, skipped: new Map(), pastDHr: [], AD };
}

/** Bob (the responder): his signed prekey pair is his first ratchet key. */
export function initBob(SK: Uint8Array, bobRatchetKeyPair: X25519Key, AD: Uint8Array): RatchetState {
  return { DHs: bobRatchetKeyPair, DHr: undefined, RK: SK, CKs: undefined, CKr: undefined, Ns: 0, Nr: 0, PN: 0, skipped: new Map(), pastDHr: [], AD };
}

/** RatchetEncrypt: the header and the ciphertext (with its 16-byte tag). */
export function ratchetEncrypt(state: RatchetState, plaintext: Uint8Array): { header: Uint8Array; ciphertext: Uint8Array } {
  if (!state.CKs) throw new RatchetError('MALFORMED', 'this session cannot send before it has received (responder without a sending chain)');
  const [ck, mk] = ((r) => [r[1], r[0]] as const)(kdfCK(state.CKs));
  state.CKs = ck;
  const header = encodeHeader({ dh: state.DHs.publicKey, pn: state.PN, n: state.Ns });
  state.Ns += 1;
  return { header, ciphertext: aead(mk, concat(state.AD, header)).encrypt(plaintext) };
}

/**
 * RatchetDecrypt, transactional: the state changes only when the message authenticates, so a
 * tampered or replayed message leaves the session as it was.
 */
export function ratchetDecrypt(state: RatchetState, headerBytes: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const header = decodeHeader(headerBytes);
  const ad = concat(state.AD, headerBytes);
  const skippedId = `${hex(header.dh)}:${header.n}`;
  const skippedKey = state.skipped.get(skippedId);
  if (skippedKey) {
    const plaintext = open(skippedKey, ad, ciphertext);
    state.skipped.delete(skippedId);
    return plaintext;
  }
  const next = cloneState(state);
  const sameChain = next.DHr !== undefined && hex(header.dh) === hex(next.DHr);
  if (sameChain && header.n < next.Nr) throw new RatchetError('REPLAY', `message ${header.n} of this chain was already received (or its key expired): replay refused`);
  if (!sameChain) {
    if (next.pastDHr.includes(hex(header.dh))) throw new RatchetError('REPLAY', `message ${header.n} of an earlier chain was already received (or its key expired): replay refused`);
    skipMessageKeys(next, header.pn);
    dhRatchet(next, header);
  }
  skipMessageKeys(next, header.n);
  const [ck, mk] = ((r) => [r[1], r[0]] as const)(kdfCK(next.CKr!));
  next.CKr = ck;
  next.Nr += 1;
  const plaintext = open(mk, ad, ciphertext);
  Object.assign(state, next);
  return plaintext;
}

function open(mk: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  try {
    return aead(mk, ad).decrypt(ciphertext);
  } catch {
    throw new RatchetError('TAMPERED', 'the message does not authenticate (tampered ciphertext or header, or not for this session)');
  }
}

function skipMessageKeys(state: RatchetState, until: number): void {
  if (!state.CKr) return;
  if (until - state.Nr > MAX_SKIP) throw new RatchetError('TOO_MANY_SKIPPED', `message ${until} would skip ${until - state.Nr} keys; at most ${MAX_SKIP} are skipped per chain`);
  while (state.Nr < until) {
    const [mk, ck] = kdfCK(state.CKr);
    state.CKr = ck;
    state.skipped.set(`${hex(state.DHr!)}:${state.Nr}`, mk);
    state.Nr += 1;
  }
  while (state.skipped.size > MAX_SKIPPED_KEYS) state.skipped.delete(state.skipped.keys().next().value!);
}

function dhRatchet(state: RatchetState, header: Header): void {
  state.PN = state.Ns;
  state.Ns = 0;
  state.Nr = 0;
  if (state.DHr) state.pastDHr = [...state.pastDHr, hex(state.DHr)].slice(-32);
  state.DHr = header.dh;
  [state.RK, state.CKr] = kdfRK(state.RK, DH(state.DHs, state.DHr));
  state.DHs = x25519Pair();
  [state.RK, state.CKs] = kdfRK(state.RK, DH(state.DHs, state.DHr));
}

function cloneState(s: RatchetState): RatchetState {
  return { ...s, skipped: new Map(s.skipped), pastDHr: [...s.pastDHr] };
}

// ---- persistence ----

export interface RatchetJson {
  dhs: string;
  dhsPub: string;
  dhr?: string;
  rk: string;
  cks?: string;
  ckr?: string;
  ns: number;
  nr: number;
  pn: number;
  skipped: [string, string][];
  past: string[];
  ad: string;
}

export function ratchetToJson(s: RatchetState): RatchetJson {
  return {
    dhs: hex(s.DHs.secretKey),
    dhsPub: hex(s.DHs.publicKey),
    dhr: s.DHr && hex(s.DHr),
    rk: hex(s.RK),
    cks: s.CKs && hex(s.CKs),
    ckr: s.CKr && hex(s.CKr),
    ns: s.Ns,
    nr: s.Nr,
    pn: s.PN,
    skipped: [...s.skipped].map(([k, v]) => [k, hex(v)]),
    past: s.pastDHr,
    ad: hex(s.AD),
  };
}

export function ratchetFromJson(j: RatchetJson): RatchetState {
  return {
    DHs: { secretKey: unhex(j.dhs, 32), publicKey: unhex(j.dhsPub, 32) },
    DHr: j.dhr ? unhex(j.dhr, 32) : undefined,
    RK: unhex(j.rk, 32),
    CKs: j.cks ? unhex(j.cks, 32) : undefined,
    CKr: j.ckr ? unhex(j.ckr, 32) : undefined,
    Ns: j.ns,
    Nr: j.nr,
    PN: j.pn,
    skipped: new Map(j.skipped.map(([k, v]) => [k, unhex(v, 32)])),
    pastDHr: [...j.past],
    AD: unhex(j.ad),
  };
}
