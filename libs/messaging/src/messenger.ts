import { randomBytes } from '@noble/hashes/utils.js';
import { cryptoBoxSeal, cryptoBoxSealOpen } from '@trucom/crypto';
import { b64url, hex, unb64url, unhex } from './bytes.js';
import type { AnchorRecord } from './chain.js';
import type { MessagingIdentity } from './identity.js';
import { createInvite, parseInvite, type Invite } from './invite.js';
import { createMailbox, deleteEnvelope, listEnvelopes, putEnvelope } from './mailbox-client.js';
import { merkleBatch, rootFromProof, type InclusionProof } from './merkle.js';
import { decodePayload, encodePayload, messageId, textMessage, type AnchorReceipt, type TextMessage } from './message.js';
import { peekWire, sessionDecrypt, sessionEncrypt, type ContactSessions } from './session.js';

/** Copies an envelope needs before `send` counts it delivered; the outbox retries the other gateways. */
export const MIN_COPIES = 2;
const MAX_SEEN = 10_000;

export interface ContactRecord {
  readonly name: string;
  readonly invite: string;
  readonly identityKey: string;
  sessions: ContactSessions;
}

export interface GroupRecord {
  readonly id: string;
  readonly name: string;
  /** Contact names. */
  readonly members: string[];
}

export interface StoredMessage {
  readonly id: string;
  readonly direction: 'in' | 'out';
  /** The contact it came from (in) or went to (out; several for a group). */
  readonly contacts: string[];
  readonly message: TextMessage;
  proof?: InclusionProof;
  txhash?: string;
}

export interface OutboxEntry {
  readonly envelopeId: string;
  readonly mailboxId: string;
  readonly data: string;
  /** Gateways that do not have it yet. */
  gateways: string[];
  readonly created: number;
}

export interface MessengerState {
  v: 1;
  seq: number;
  contacts: Record<string, ContactRecord>;
  groups: Record<string, GroupRecord>;
  messages: Record<string, StoredMessage>;
  /** Ids of sent messages not anchored yet, in send order. */
  pending: string[];
  outbox: OutboxEntry[];
  /** Per own gateway: the last cursor read. */
  cursors: Record<string, number>;
  /** Envelope ids already processed (newest last, bounded). */
  seen: string[];
  /** Gateways hosting the own mailbox (those of the last invite). */
  gateways: string[];
  /** The last invite code created (states from before it was kept lack it). */
  invite?: string;
}

export const emptyState = (): MessengerState => ({ v: 1, seq: 0, contacts: {}, groups: {}, messages: {}, pending: [], outbox: [], cursors: {}, seen: [], gateways: [] });

export interface Delivery {
  readonly id: string;
  readonly recipients: { contact: string; copies: number; failed: string[] }[];
}

export interface InboxResult {
  /** New text messages, in order (sent time, then the sender's counter). */
  readonly messages: StoredMessage[];
  /** Anchor receipts received (proofs attached to earlier messages). */
  readonly receipts: number;
  /** Envelopes refused (tampered, replayed, unknown sender), each with why; they are acknowledged. */
  readonly refused: string[];
  /** Gateways that could not be read. */
  readonly unreachable: string[];
}

export type VerifyResult =
  | { readonly ok: true; readonly id: string; readonly root: string; readonly height: number; readonly time: number; readonly sender: string; readonly proof: InclusionProof }
  | { readonly ok: false; readonly id: string; readonly reason: string; readonly proof?: InclusionProof };

/**
 * Verifies a message against an inclusion proof and the chain: recomputes the message id, walks the
 * audit path to a root, and looks that root up (`lookup`, e.g. queryAnchor). Any difference is a
 * clear `ok: false`, never an exception.
 */
export async function verifyMessage(message: TextMessage, proof: InclusionProof | undefined, lookup: (root: string) => Promise<AnchorRecord | undefined>, expectedId?: string): Promise<VerifyResult> {
  const id = messageId(message);
  if (expectedId && id !== expectedId) return { ok: false, id, proof, reason: `the message does not match what was anchored: its hash is ${id}, the anchored message id is ${expectedId}` };
  if (!proof) return { ok: false, id, reason: 'the message has not been anchored yet (no inclusion proof)' };
  let root: string;
  try {
    root = rootFromProof(id, proof);
  } catch (err) {
    return { ok: false, id, proof, reason: (err as Error).message };
  }
  if (root !== proof.root) return { ok: false, id, proof, reason: `the message does not match what was anchored: its hash leads to root ${root}, the anchored root is ${proof.root}` };
  const anchor = await lookup(proof.root);
  if (!anchor) return { ok: false, id, proof, reason: `root ${proof.root} is not anchored on chain` };
  return { ok: true, id, root, height: anchor.height, time: anchor.time, sender: anchor.sender, proof };
}

/**
 * One user's messaging: contacts, ratchet sessions, mailboxes on gateways, sent-hash batches.
 * The state is a plain JSON object the caller persists (the CLI keeps it under the Trucom home).
 */
export class Messenger {
  constructor(
    readonly me: MessagingIdentity,
    readonly state: MessengerState = emptyState(),
  ) {}

  get identityKey(): string {
    return hex(this.me.identity.publicKey);
  }

  /** Creates the mailbox on every gateway (each must accept) and returns the invite code naming them. */
  async invite(name: string, gateways: readonly string[]): Promise<string> {
    const code = createInvite(this.me, name, gateways);
    await Promise.all(gateways.map((g) => createMailbox(g, this.me.mailbox, this.me.mailboxId)));
    this.state.gateways = parseInvite(code).gateways.slice();
    this.state.invite = code;
    return code;
  }

  addContact(code: string, name?: string): ContactRecord {
    const invite = parseInvite(code);
    const identityKey = hex(invite.identityKey);
    if (identityKey === this.identityKey) throw new Error('this is your own invite');
    const contactName = name ?? invite.name;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(contactName)) throw new Error(`contact name ${JSON.stringify(contactName)}: use 1-64 of [A-Za-z0-9_.-]`);
    const existing = Object.values(this.state.contacts).find((c) => c.identityKey === identityKey);
    if (existing && existing.name !== contactName) throw new Error(`this invite is already your contact ${existing.name}`);
    if (!existing && this.state.contacts[contactName]) throw new Error(`you already have a contact named ${contactName}; pick another --name`);
    const record: ContactRecord = { name: contactName, invite: code.trim(), identityKey, sessions: existing?.sessions ?? { sessions: {} } };
    this.state.contacts[contactName] = record;
    return record;
  }

  createGroup(name: string, members: readonly string[]): GroupRecord {
    if (this.state.contacts[name] || this.state.groups[name]) throw new Error(`${name} is already a contact or group name`);
    for (const m of members) if (!this.state.contacts[m]) throw new Error(`unknown contact ${m}`);
    if (members.length < 2) throw new Error('a group has at least two other members');
    const group = { id: hex(randomBytes(16)), name, members: [...new Set(members)] };
    this.state.groups[name] = group;
    return group;
  }

  private contact(name: string): ContactRecord {
    const c = this.state.contacts[name];
    if (!c) throw new Error(`no contact named ${name} (add one with its invite code)`);
    return c;
  }

  private invitation(c: ContactRecord): Invite {
    return parseInvite(c.invite);
  }

  /** Encrypts to a contact and seals the ratchet message to its envelope key: what a gateway stores. */
  private seal(c: ContactRecord, plaintext: Uint8Array): { invite: Invite; envelopeId: string; data: Uint8Array } {
    const invite = this.invitation(c);
    const wire = sessionEncrypt(this.me, invite, c.sessions, plaintext);
    return { invite, envelopeId: hex(randomBytes(16)), data: cryptoBoxSeal(wire, invite.envelopeKey) };
  }

  /** Writes an envelope to every gateway of the recipient's invite; the ones that fail go to the outbox. */
  private async post(invite: Invite, envelopeId: string, data: Uint8Array): Promise<{ copies: number; failed: string[] }> {
    const results = await Promise.allSettled(invite.gateways.map((g) => putEnvelope(g, invite.mailboxId, envelopeId, data)));
    const failed = invite.gateways.filter((_, i) => results[i]!.status === 'rejected');
    if (failed.length > 0) this.state.outbox.push({ envelopeId, mailboxId: invite.mailboxId, data: b64url(data), gateways: failed, created: Date.now() });
    return { copies: invite.gateways.length - failed.length, failed };
  }

  /** Retries the outbox (envelopes some gateway did not take); gives up on an envelope after 7 days. */
  async flushOutbox(): Promise<void> {
    const keep: OutboxEntry[] = [];
    for (const e of this.state.outbox) {
      const results = await Promise.allSettled(e.gateways.map((g) => putEnvelope(g, e.mailboxId, e.envelopeId, unb64url(e.data))));
      e.gateways = e.gateways.filter((_, i) => results[i]!.status === 'rejected');
      if (e.gateways.length > 0 && Date.now() - e.created < 7 * 86_400_000) keep.push(e);
    }
    this.state.outbox = keep;
  }

  /** Sends a text to a contact, or to every member of a group (pairwise fan-out of the same message). */
  async send(to: string, text: string): Promise<Delivery> {
    await this.flushOutbox();
    const group = this.state.groups[to];
    const contacts = group ? group.members.map((m) => this.contact(m)) : [this.contact(to)];
    this.state.seq += 1;
    const message = textMessage({ from: this.identityKey, to: contacts.map((c) => c.identityKey), group: group ? { id: group.id, name: group.name } : undefined, seq: this.state.seq, sent: Date.now(), text });
    const id = messageId(message);
    const bytes = encodePayload(message);
    const recipients = [];
    for (const c of contacts) {
      const { invite, envelopeId, data } = this.seal(c, bytes);
      const { copies, failed } = await this.post(invite, envelopeId, data);
      if (copies < Math.min(MIN_COPIES, invite.gateways.length)) throw new Error(`only ${copies} of ${invite.gateways.length} mailbox gateways of ${c.name} took the message (${failed.join(', ')}); it stays in the outbox and is retried`);
      recipients.push({ contact: c.name, copies, failed });
    }
    this.state.messages[id] = { id, direction: 'out', contacts: contacts.map((c) => c.name), message };
    this.state.pending.push(id);
    return { id, recipients };
  }

  /**
   * Reads every gateway of the own mailbox, deduplicates envelopes by id, decrypts, acknowledges
   * (deletes) what it processed on every gateway that had it, and returns the new messages in order.
   */
  async inbox(): Promise<InboxResult> {
    await this.flushOutbox();
    const gateways = this.state.gateways;
    if (gateways.length === 0) throw new Error('no mailbox yet: create an invite first');
    const found = new Map<string, { data: Uint8Array; on: string[] }>();
    const unreachable: string[] = [];
    const cursors: Record<string, number> = {};
    await Promise.all(
      gateways.map(async (g) => {
        try {
          const { envelopes, next } = await listEnvelopes(g, this.me.mailbox, this.me.mailboxId, this.state.cursors[g] ?? 0);
          cursors[g] = next;
          for (const e of envelopes) {
            const entry = found.get(e.id) ?? { data: e.data, on: [] };
            entry.on.push(g);
            found.set(e.id, entry);
          }
        } catch {
          unreachable.push(g);
        }
      }),
    );
    const seen = new Set(this.state.seen);
    const refused: string[] = [];
    const fresh: StoredMessage[] = [];
    let receipts = 0;
    for (const [envelopeId, { data }] of found) {
      if (seen.has(envelopeId)) continue;
      seen.add(envelopeId);
      this.state.seen.push(envelopeId);
      try {
        const r = this.open(data);
        if (r.kind === 'text') fresh.push(r.stored);
        else receipts += 1;
      } catch (err) {
        refused.push(`envelope ${envelopeId}: ${(err as Error).message}`);
      }
    }
    this.state.seen = this.state.seen.slice(-MAX_SEEN);
    Object.assign(this.state.cursors, cursors);
    await Promise.allSettled([...found].flatMap(([id, { on }]) => on.map((g) => deleteEnvelope(g, this.me.mailbox, this.me.mailboxId, id))));
    fresh.sort((a, b) => a.message.sent - b.message.sent || a.message.seq - b.message.seq || (a.message.from < b.message.from ? -1 : 1));
    return { messages: fresh, receipts, refused, unreachable: unreachable.sort() };
  }

  /** Opens one envelope: sealed box → ratchet message of a known contact → payload. */
  private open(data: Uint8Array): { kind: 'text'; stored: StoredMessage } | { kind: 'anchor' } {
    let wire: Uint8Array;
    try {
      wire = cryptoBoxSealOpen(data, this.me.envelope);
    } catch {
      throw new Error('the envelope does not open with this identity (tampered, or not for us)');
    }
    const peek = peekWire(wire);
    const contact = peek.prekey
      ? Object.values(this.state.contacts).find((c) => c.identityKey === hex(peek.prekey!.identityKey))
      : Object.values(this.state.contacts).find((c) => c.sessions.sessions[peek.sessionId]);
    if (!contact) throw new Error(peek.prekey ? 'a message from an identity that is not a contact: add their invite code first' : 'a message of an unknown session');
    const sessions = structuredClone(contact.sessions);
    const plaintext = sessionDecrypt(this.me, unhex(contact.identityKey, 32), sessions, wire);
    const payload = decodePayload(plaintext);
    if (payload.from !== contact.identityKey) throw new Error(`the message claims to be from another identity than ${contact.name}`);
    contact.sessions = sessions;
    if (payload.type === 'anchor') {
      this.applyReceipt(contact, payload);
      return { kind: 'anchor' };
    }
    const id = messageId(payload);
    if (this.state.messages[id]) throw new Error(`message ${id} was already received: replay refused`);
    if (payload.group) this.noteGroup(payload);
    const stored: StoredMessage = { id, direction: 'in', contacts: [contact.name], message: payload };
    this.state.messages[id] = stored;
    return { kind: 'text', stored };
  }

  private noteGroup(m: TextMessage): void {
    const g = m.group!;
    if (Object.values(this.state.groups).some((x) => x.id === g.id)) return;
    const byKey = new Map(Object.values(this.state.contacts).map((c) => [c.identityKey, c.name]));
    const members = [m.from, ...m.to].filter((k) => k !== this.identityKey).map((k) => byKey.get(k)).filter((n): n is string => !!n);
    let name = g.name;
    for (let i = 2; this.state.contacts[name] || this.state.groups[name]; i++) name = `${g.name}-${i}`;
    this.state.groups[name] = { id: g.id, name, members };
  }

  private applyReceipt(contact: ContactRecord, r: AnchorReceipt): void {
    for (const p of r.proofs) {
      const m = this.state.messages[p.id];
      if (!m || m.direction !== 'in' || m.message.from !== contact.identityKey) continue;
      m.proof = { root: p.root, index: p.index, size: p.size, path: p.path };
      m.txhash = r.txhash;
    }
  }

  /**
   * Anchors the pending sent-message ids in one MsgAnchor (`submit` signs and broadcasts it), keeps
   * each message's proof, and sends every contact a receipt with the proofs of the messages it got.
   */
  async anchor(submit: (root: string, count: number) => Promise<{ txhash: string; height: number }>, namespace = 'msg'): Promise<{ root: string; count: number; txhash: string; height: number } | undefined> {
    const ids = this.state.pending.filter((id) => this.state.messages[id]);
    if (ids.length === 0) return undefined;
    const { root, proofs } = merkleBatch(ids);
    const { txhash, height } = await submit(root, ids.length);
    const byContact = new Map<string, (InclusionProof & { id: string })[]>();
    ids.forEach((id, i) => {
      const m = this.state.messages[id]!;
      m.proof = proofs[i]!;
      m.txhash = txhash;
      for (const c of m.contacts) byContact.set(c, [...(byContact.get(c) ?? []), { id, ...proofs[i]! }]);
    });
    this.state.pending = this.state.pending.filter((id) => !ids.includes(id));
    for (const [name, list] of byContact) {
      const c = this.state.contacts[name];
      if (!c) continue;
      const receipt: AnchorReceipt = { v: 1, type: 'anchor', from: this.identityKey, namespace, txhash, proofs: list };
      const { invite, envelopeId, data } = this.seal(c, encodePayload(receipt));
      await this.post(invite, envelopeId, data);
    }
    return { root, count: ids.length, txhash, height };
  }

  /** Verifies a stored message (or `altered`, a copy claimed to be it) against its proof and the chain. */
  async verify(id: string, lookup: (root: string) => Promise<AnchorRecord | undefined>, altered?: TextMessage): Promise<VerifyResult> {
    const m = this.state.messages[id];
    if (!m) return { ok: false, id, reason: `no message ${id} in this key's messages` };
    return verifyMessage(altered ?? m.message, m.proof, lookup, id);
  }
}
