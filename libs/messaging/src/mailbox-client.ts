import { unb64url } from './bytes.js';
import type { Ed25519Key } from './identity.js';
import { MAILBOXES_PATH, mailboxAuthorization } from './mailbox-auth.js';

/** HTTP calls to one gateway's mailbox routes (fetch; each with a timeout). */
export interface StoredEnvelope {
  readonly id: string;
  readonly cursor: number;
  readonly data: Uint8Array;
}

const TIMEOUT_MS = 10_000;
const base = (gateway: string) => gateway.replace(/\/+$/, '');

async function call(gateway: string, method: string, path: string, init: { key?: Ed25519Key; body?: Uint8Array; query?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.key) headers.authorization = mailboxAuthorization(init.key, method, path);
  if (init.body) headers['content-type'] = 'application/octet-stream';
  return await fetch(`${base(gateway)}${path}${init.query ?? ''}`, { method, headers, body: init.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

async function fail(res: Response, what: string): Promise<never> {
  const text = await res.text().catch(() => '');
  let error = text;
  try {
    error = (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    // not JSON
  }
  throw new MailboxHttpError(res.status, `${what}: HTTP ${res.status} ${error}`);
}

export class MailboxHttpError extends Error {
  override readonly name = 'MailboxHttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Creates (or confirms) the owner's mailbox on a gateway. */
export async function createMailbox(gateway: string, key: Ed25519Key, mailboxId: string): Promise<void> {
  const path = `${MAILBOXES_PATH}/${mailboxId}`;
  const res = await call(gateway, 'PUT', path, { key });
  if (res.status !== 200 && res.status !== 201) await fail(res, `create mailbox on ${gateway}`);
  await res.body?.cancel();
}

/** Stores an envelope: 201 stored, 200 already there (same bytes); anything else throws. */
export async function putEnvelope(gateway: string, mailboxId: string, envelopeId: string, data: Uint8Array): Promise<number> {
  const res = await call(gateway, 'PUT', `${MAILBOXES_PATH}/${mailboxId}/envelopes/${envelopeId}`, { body: data });
  if (res.status !== 200 && res.status !== 201) await fail(res, `store envelope on ${gateway}`);
  await res.body?.cancel();
  return res.status;
}

/** The owner's envelopes after `after` (a cursor of this gateway), oldest first, every page. */
export async function listEnvelopes(gateway: string, key: Ed25519Key, mailboxId: string, after = 0): Promise<{ envelopes: StoredEnvelope[]; next: number }> {
  const path = `${MAILBOXES_PATH}/${mailboxId}/envelopes`;
  const envelopes: StoredEnvelope[] = [];
  let cursor = after;
  for (;;) {
    const res = await call(gateway, 'GET', path, { key, query: `?after=${cursor}` });
    if (res.status !== 200) await fail(res, `list mailbox on ${gateway}`);
    const body = (await res.json()) as { envelopes: { id: string; cursor: number; data: string }[]; next: number; more: boolean };
    for (const e of body.envelopes) envelopes.push({ id: e.id, cursor: e.cursor, data: unb64url(e.data) });
    cursor = body.next;
    if (!body.more) break;
  }
  return { envelopes, next: cursor };
}

/** Acknowledges (deletes) an envelope; the gateway keeps its id to refuse a replay. */
export async function deleteEnvelope(gateway: string, key: Ed25519Key, mailboxId: string, envelopeId: string): Promise<void> {
  const path = `${MAILBOXES_PATH}/${mailboxId}/envelopes/${envelopeId}`;
  const res = await call(gateway, 'DELETE', path, { key });
  if (res.status !== 204 && res.status !== 404) await fail(res, `delete envelope on ${gateway}`);
  await res.body?.cancel();
}

