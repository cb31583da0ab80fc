import { ed25519 } from '@noble/curves/ed25519.js';
import { b64url, concat, equal, fromUtf8, hex, sha256Of, unb64url, utf8 } from './bytes.js';
import type { MessagingIdentity } from './identity.js';

/**
 * Invite codes, exchanged in person (text or QR): `trucom-invite1:` + base64url(payload ‖ checksum).
 * payload = version (1) ‖ identity X25519 (32) ‖ signing Ed25519 (32) ‖ signed prekey X25519 (32)
 * ‖ envelope X25519 (32) ‖ mailbox id (20) ‖ name (u8 length ‖ UTF-8, ≤ 64 bytes) ‖ gateways (u8
 * count ‖ each u8 length ‖ URL) ‖ Ed25519 signature by the signing key over everything before it.
 * checksum = the first 4 bytes of SHA-256(payload): a mistyped or altered code is refused before the
 * signature is even checked; the signature binds the prekey, mailbox and gateways to the identity.
 */
export const INVITE_PREFIX = 'trucom-invite1:';
const VERSION = 1;
export const MIN_INVITE_GATEWAYS = 3;
export const MAX_INVITE_GATEWAYS = 8;

export interface Invite {
  readonly identityKey: Uint8Array;
  readonly signingKey: Uint8Array;
  readonly prekey: Uint8Array;
  readonly envelopeKey: Uint8Array;
  readonly mailboxId: string;
  readonly name: string;
  /** Base URLs of the gateways hosting the mailbox, e.g. http://127.0.0.1:8080. */
  readonly gateways: readonly string[];
}

export class InviteError extends Error {
  override readonly name = 'InviteError';
}

function checkGateway(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InviteError(`gateway ${JSON.stringify(url)} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InviteError(`gateway ${url}: only http(s) URLs`);
  if (utf8(url).length > 200) throw new InviteError(`gateway ${url.slice(0, 40)}…: at most 200 bytes`);
}

function body(i: Invite): Uint8Array {
  const name = utf8(i.name);
  if (name.length > 64) throw new InviteError(`the name is at most 64 bytes, got ${name.length}`);
  if (i.gateways.length < MIN_INVITE_GATEWAYS || i.gateways.length > MAX_INVITE_GATEWAYS) throw new InviteError(`an invite names ${MIN_INVITE_GATEWAYS} to ${MAX_INVITE_GATEWAYS} mailbox gateways, got ${i.gateways.length}`);
  i.gateways.forEach(checkGateway);
  const gateways = i.gateways.map((g) => utf8(g.replace(/\/+$/, '')));
  return concat(
    Uint8Array.of(VERSION),
    i.identityKey,
    i.signingKey,
    i.prekey,
    i.envelopeKey,
    Buffer.from(i.mailboxId, 'hex'),
    Uint8Array.of(name.length),
    name,
    Uint8Array.of(gateways.length),
    ...gateways.flatMap((g) => [Uint8Array.of(g.length), g]),
  );
}

/** The invite of `me`: its public keys, mailbox and the gateways hosting it, signed. */
export function createInvite(me: MessagingIdentity, name: string, gateways: readonly string[]): string {
  const invite: Invite = { identityKey: me.identity.publicKey, signingKey: me.signing.publicKey, prekey: me.prekey.publicKey, envelopeKey: me.envelope.publicKey, mailboxId: me.mailboxId, name, gateways };
  const b = body(invite);
  const payload = concat(b, ed25519.sign(b, me.signing.secretKey));
  return INVITE_PREFIX + b64url(concat(payload, sha256Of(payload).subarray(0, 4)));
}

/** Decodes and checks an invite code; an altered or truncated code throws InviteError saying what is wrong. */
export function parseInvite(code: string): Invite {
  const text = code.trim();
  if (!text.startsWith(INVITE_PREFIX)) throw new InviteError(`not a Trucom invite code: it starts with ${JSON.stringify(INVITE_PREFIX)}`);
  let raw: Uint8Array;
  try {
    raw = unb64url(text.slice(INVITE_PREFIX.length));
  } catch {
    throw new InviteError('the invite code was altered: it contains characters outside base64url');
  }
  if (raw.length < 1 + 32 * 4 + 20 + 2 + 64 + 4) throw new InviteError('the invite code is truncated');
  const payload = raw.subarray(0, raw.length - 4);
  if (!equal(sha256Of(payload).subarray(0, 4), raw.subarray(raw.length - 4))) throw new InviteError('the invite code was altered or mistyped: its checksum does not match');
  const b = payload.subarray(0, payload.length - 64);
  const signature = payload.subarray(payload.length - 64);
  if (b[0] !== VERSION) throw new InviteError(`unsupported invite version ${b[0]}`);
  let o = 1;
  const take = (n: number) => {
    if (o + n > b.length) throw new InviteError('the invite code is truncated');
    const out = b.slice(o, o + n);
    o += n;
    return out;
  };
  const identityKey = take(32);
  const signingKey = take(32);
  const prekey = take(32);
  const envelopeKey = take(32);
  const mailboxId = hex(take(20));
  const name = fromUtf8(take(take(1)[0]!));
  const count = take(1)[0]!;
  const gateways: string[] = [];
  for (let i = 0; i < count; i++) gateways.push(fromUtf8(take(take(1)[0]!)));
  if (o !== b.length) throw new InviteError('the invite code has trailing bytes');
  let valid = false;
  try {
    valid = ed25519.verify(signature, b, signingKey);
  } catch {
    valid = false;
  }
  if (!valid) throw new InviteError("the invite's signature does not verify: it was altered");
  const invite = { identityKey, signingKey, prekey, envelopeKey, mailboxId, name, gateways };
  body(invite); // the same limits as when created
  return invite;
}
