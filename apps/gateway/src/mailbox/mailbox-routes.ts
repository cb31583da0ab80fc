import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ENVELOPE_ID, MAILBOX_ID, MAILBOXES_PATH, mailboxAuthProblem, MAX_ENVELOPE_BYTES } from '@trucom/messaging';
import type { MailboxStore } from './mailbox-store.js';

export interface MailboxRouteDeps {
  readonly store: MailboxStore;
  readonly now?: () => number;
}

type Params = { id: string; envelope?: string };

/**
 * Store-and-forward mailboxes (gateways see opaque ids and sealed bytes only):
 * - `PUT /api/v1/mailboxes/{id}` (owner) creates the mailbox: 201, or 200 if it exists;
 * - `PUT /api/v1/mailboxes/{id}/envelopes/{envelopeId}` (anyone holding the id; body ≤ 64 KiB):
 *   201 stored, 200 the same bytes again (deduplicated), 409 the id with other bytes or an id already
 *   acknowledged (a replay: refused), 404 unknown mailbox, 413 too large, 507 mailbox full;
 * - `GET /api/v1/mailboxes/{id}/envelopes?after=<cursor>` (owner): `{envelopes: [{id, cursor, data
 *   (base64url)}], next, more}`, oldest first, 200 a page;
 * - `DELETE /api/v1/mailboxes/{id}/envelopes/{envelopeId}` (owner): 204, 404 if not stored.
 * Owner = `Authorization: TrucomMailbox …` (libs/messaging mailbox-auth); 401 otherwise.
 */
export async function registerMailboxRoutes(app: FastifyInstance, deps: MailboxRouteDeps): Promise<void> {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  app.addHook('onClose', async () => deps.store.close());
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_ENVELOPE_BYTES }, (_req, body, done) => done(null, body));

    const ids = (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply): boolean => {
      if (!MAILBOX_ID.test(req.params.id)) {
        void reply.code(400).send({ error: 'a mailbox id is 40 lower-case hex digits' });
        return false;
      }
      if (req.params.envelope !== undefined && !ENVELOPE_ID.test(req.params.envelope)) {
        void reply.code(400).send({ error: 'an envelope id is 32 lower-case hex digits' });
        return false;
      }
      return true;
    };
    const owner = (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply): boolean => {
      const path = req.url.split('?')[0]!;
      const problem = mailboxAuthProblem(req.headers.authorization, req.method, path, req.params.id, now());
      if (problem) void reply.code(401).header('www-authenticate', 'TrucomMailbox').send({ error: problem });
      return !problem;
    };
    const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store').header('access-control-allow-origin', '*');

    scope.put<{ Params: Params }>(`${MAILBOXES_PATH}/:id`, async (req, reply) => {
      noStore(reply);
      if (!ids(req, reply) || !owner(req, reply)) return reply;
      const created = await deps.store.create(req.params.id);
      return reply.code(created ? 201 : 200).send({ mailbox: req.params.id, created });
    });

    scope.put<{ Params: Params }>(`${MAILBOXES_PATH}/:id/envelopes/:envelope`, { bodyLimit: MAX_ENVELOPE_BYTES }, async (req, reply) => {
      noStore(reply);
      if (!ids(req, reply)) return reply;
      const body = req.body as Buffer | undefined;
      if (!body || body.length === 0) return reply.code(400).send({ error: 'the envelope is the request body (application/octet-stream), and it is empty' });
      const outcome = await deps.store.put(req.params.id, req.params.envelope!, body);
      switch (outcome) {
        case 'stored':
          return reply.code(201).send({ stored: true });
        case 'duplicate':
          return reply.code(200).send({ stored: true, duplicate: true });
        case 'unknown':
          return reply.code(404).send({ error: `no mailbox ${req.params.id} on this gateway` });
        case 'conflict':
          return reply.code(409).send({ error: 'an envelope with this id and other bytes is already stored' });
        case 'acknowledged':
          return reply.code(409).send({ error: 'this envelope id was already delivered and acknowledged: replay refused' });
        case 'full':
          return reply.code(507).send({ error: 'the mailbox is full' });
      }
    });

    scope.get<{ Params: Params; Querystring: { after?: string } }>(`${MAILBOXES_PATH}/:id/envelopes`, async (req, reply) => {
      noStore(reply);
      if (!ids(req, reply) || !owner(req, reply)) return reply;
      const after = Number(req.query.after ?? 0);
      if (!Number.isSafeInteger(after) || after < 0) return reply.code(400).send({ error: 'after must be a cursor (a non-negative integer)' });
      if (!(await deps.store.exists(req.params.id))) return reply.code(404).send({ error: `no mailbox ${req.params.id} on this gateway` });
      const page = await deps.store.list(req.params.id, after);
      return { ...page, envelopes: page.envelopes.map((e) => ({ ...e, data: Buffer.from(e.data, 'base64').toString('base64url') })) };
    });

    scope.delete<{ Params: Params }>(`${MAILBOXES_PATH}/:id/envelopes/:envelope`, async (req, reply) => {
      noStore(reply);
      if (!ids(req, reply) || !owner(req, reply)) return reply;
      return (await deps.store.delete(req.params.id, req.params.envelope!)) ? reply.code(204).send() : reply.code(404).send({ error: 'no such envelope stored' });
    });
  });
}
