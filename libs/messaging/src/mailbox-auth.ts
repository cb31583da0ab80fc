import { ed25519 } from '@noble/curves/ed25519.js';
import { b64url, unb64url, utf8 } from './bytes.js';
import { mailboxIdOf, type Ed25519Key } from './identity.js';

/**
 * Mailboxes on gateways: `/api/v1/mailboxes/{id}` where id = 40 hex digits (mailboxIdOf the owner's
 * mailbox key), envelopes `/api/v1/mailboxes/{id}/envelopes/{envelopeId}` with 32-hex-digit ids
 * chosen by senders (random: the replay id).
 *
 * The owner authenticates (creating the mailbox, listing, deleting) with
 * `Authorization: TrucomMailbox <public key b64url>.<unix seconds>.<signature b64url>`: an Ed25519
 * signature of `trucom-mailbox <METHOD> <path> <unix seconds>` (path without the query) by the key
 * whose hash is the mailbox id, within MAILBOX_AUTH_WINDOW_S of the gateway's clock. Gateways learn
 * no account address, only that the caller holds the mailbox key.
 */
export const MAILBOXES_PATH = '/api/v1/mailboxes';
export const MAILBOX_ID = /^[0-9a-f]{40}$/;
export const ENVELOPE_ID = /^[0-9a-f]{32}$/;
/** Largest envelope a gateway stores (the sealed, ratchet-encrypted message). */
export const MAX_ENVELOPE_BYTES = 64 * 1024;
export const MAILBOX_AUTH_WINDOW_S = 300;

export const mailboxStatement = (method: string, path: string, ts: number) => `trucom-mailbox ${method.toUpperCase()} ${path} ${ts}`;

export function mailboxAuthorization(key: Ed25519Key, method: string, path: string, ts: number = Math.floor(Date.now() / 1000)): string {
  const signature = ed25519.sign(utf8(mailboxStatement(method, path, ts)), key.secretKey);
  return `TrucomMailbox ${b64url(key.publicKey)}.${ts}.${b64url(signature)}`;
}

/** Why a request is not the mailbox owner's (answered with 401), or undefined when it is. */
export function mailboxAuthProblem(header: string | undefined, method: string, path: string, mailboxId: string, nowSeconds: number): string | undefined {
  const m = /^TrucomMailbox ([A-Za-z0-9_-]{43})\.(\d{1,12})\.([A-Za-z0-9_-]{86})$/.exec(header ?? '');
  if (!m) return 'missing or malformed Authorization: expected "TrucomMailbox <public key>.<unix seconds>.<signature>" signed with the mailbox key';
  const publicKey = unb64url(m[1]!);
  if (mailboxIdOf(publicKey) !== mailboxId) return 'the key does not own this mailbox';
  const ts = Number(m[2]);
  if (Math.abs(ts - nowSeconds) > MAILBOX_AUTH_WINDOW_S) return `the signed time is more than ${MAILBOX_AUTH_WINDOW_S} s away from the gateway's clock`;
  let ok = false;
  try {
    ok = ed25519.verify(unb64url(m[3]!), utf8(mailboxStatement(method, path, ts)), publicKey);
  } catch {
    ok = false;
  }
  return ok ? undefined : 'bad signature';
}
