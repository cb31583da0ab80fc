import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import type { X25519Key } from '@trucom/crypto';
import { concat, hex, sha256Of, utf8 } from './bytes.js';

/**
 * X3DH (signal.org/docs/specifications/x3dh) with X25519 and SHA-256, without one-time prekeys
 * (invites are exchanged in person; the signed prekey is the invite's, signed with it):
 * DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B);
 * SK = HKDF-SHA256(salt = 0^32, ikm = 0xFF^32 ‖ DH1 ‖ DH2 ‖ DH3, info = "trucom/x3dh/v1", 32);
 * AD = IK_A ‖ IK_B. The session id is the first 16 bytes of SHA-256("trucom/session/v1" ‖ IK_A ‖ EK_A).
 */
const F = new Uint8Array(32).fill(0xff);

function kdf(dh1: Uint8Array, dh2: Uint8Array, dh3: Uint8Array): Uint8Array {
  return hkdf(sha256, concat(F, dh1, dh2, dh3), new Uint8Array(32), utf8('trucom/x3dh/v1'), 32);
}

export const sessionIdOf = (initiatorIdentity: Uint8Array, ephemeral: Uint8Array): string => hex(sha256Of(utf8('trucom/session/v1'), initiatorIdentity, ephemeral).subarray(0, 16));

export interface X3dhResult {
  readonly SK: Uint8Array;
  readonly AD: Uint8Array;
  readonly sessionId: string;
}

export function x3dhInitiate(identity: X25519Key, peer: { identityKey: Uint8Array; prekey: Uint8Array }, ephemeral: Uint8Array = randomBytes(32)): X3dhResult & { ephemeralKey: Uint8Array } {
  const ek = x25519.getPublicKey(ephemeral);
  const SK = kdf(x25519.getSharedSecret(identity.secretKey, peer.prekey), x25519.getSharedSecret(ephemeral, peer.identityKey), x25519.getSharedSecret(ephemeral, peer.prekey));
  return { SK, AD: concat(identity.publicKey, peer.identityKey), sessionId: sessionIdOf(identity.publicKey, ek), ephemeralKey: ek };
}

export function x3dhRespond(identity: X25519Key, prekey: X25519Key, peerIdentity: Uint8Array, peerEphemeral: Uint8Array): X3dhResult {
  const SK = kdf(x25519.getSharedSecret(prekey.secretKey, peerIdentity), x25519.getSharedSecret(identity.secretKey, peerEphemeral), x25519.getSharedSecret(prekey.secretKey, peerEphemeral));
  return { SK, AD: concat(peerIdentity, identity.publicKey), sessionId: sessionIdOf(peerIdentity, peerEphemeral) };
}
