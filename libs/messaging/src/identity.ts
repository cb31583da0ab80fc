import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { accountKeyFromMnemonic, type X25519Key } from '@trucom/crypto';
import { hex, sha256Of, utf8 } from './bytes.js';

/** HKDF info strings of the messaging keys (versioned: a new derivation gets a new label). */
export const IDENTITY_INFO = 'trucom/messaging/identity/x25519/v1';
export const SIGNING_INFO = 'trucom/messaging/signing/ed25519/v1';
export const PREKEY_INFO = 'trucom/messaging/prekey/x25519/v1';
export const ENVELOPE_INFO = 'trucom/messaging/envelope/x25519/v1';
export const MAILBOX_INFO = 'trucom/messaging/mailbox/ed25519/v1';

export interface Ed25519Key {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * Everything a user's messaging needs, derived from the account's secp256k1 private key (itself from
 * the seed phrase at m/44'/118'/0'/0/0) with HKDF-SHA256 (no salt, one info string per key), so one
 * seed phrase restores every key:
 * - `identity` (X25519): the X3DH identity key IK;
 * - `signing` (Ed25519): signs the invite (and with it the prekey, as X3DH's signed prekey);
 * - `prekey` (X25519): the signed prekey SPK of X3DH;
 * - `envelope` (X25519): mailbox envelopes are sealed boxes to it, so gateways see only ciphertext;
 * - `mailbox` (Ed25519): proves ownership of the mailbox (reads and deletes); the mailbox id is a
 *   hash of its public key, unrelated to the account address.
 */
export interface MessagingIdentity {
  readonly identity: X25519Key;
  readonly signing: Ed25519Key;
  readonly prekey: X25519Key;
  readonly envelope: X25519Key;
  readonly mailbox: Ed25519Key;
  readonly mailboxId: string;
}

const derive = (ikm: Uint8Array, info: string) => hkdf(sha256, ikm, undefined, utf8(info), 32);
const x25519Key = (secretKey: Uint8Array): X25519Key => ({ secretKey, publicKey: x25519.getPublicKey(secretKey) });
const ed25519Key = (secretKey: Uint8Array): Ed25519Key => ({ secretKey, publicKey: ed25519.getPublicKey(secretKey) });

/** A mailbox id: 20 bytes of SHA-256("trucom/mailbox/v1" ‖ Ed25519 public key), 40 hex digits. */
export function mailboxIdOf(mailboxPublicKey: Uint8Array): string {
  return hex(sha256Of(utf8('trucom/mailbox/v1'), mailboxPublicKey).subarray(0, 20));
}

export function identityFromAccountKey(accountPrivateKey: Uint8Array): MessagingIdentity {
  if (accountPrivateKey.length !== 32) throw new Error(`an account private key is 32 bytes, got ${accountPrivateKey.length}`);
  const signing = ed25519Key(derive(accountPrivateKey, SIGNING_INFO));
  const prekey = x25519Key(derive(accountPrivateKey, PREKEY_INFO));
  const mailbox = ed25519Key(derive(accountPrivateKey, MAILBOX_INFO));
  return {
    identity: x25519Key(derive(accountPrivateKey, IDENTITY_INFO)),
    signing,
    prekey,
    envelope: x25519Key(derive(accountPrivateKey, ENVELOPE_INFO)),
    mailbox,
    mailboxId: mailboxIdOf(mailbox.publicKey),
  };
}

/** The messaging identity of a seed phrase (through its account key). */
export async function identityFromMnemonic(mnemonic: string): Promise<MessagingIdentity> {
  return identityFromAccountKey((await accountKeyFromMnemonic(mnemonic)).privateKey);
}
