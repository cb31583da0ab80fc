import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { identityFromAccountKey, mailboxAuthorization, MAILBOXES_PATH, MAX_ENVELOPE_BYTES, Messenger, verifyMessage, type AnchorRecord } from '@trucom/messaging';
import { registerMailboxRoutes } from './mailbox-routes.js';
import { MailboxStore } from './mailbox-store.js';

let dir: string;
const gateways: { app: FastifyInstance; url: string }[] = [];
const owner = identityFromAccountKey(new Uint8Array(32).fill(7));
const stranger = identityFromAccountKey(new Uint8Array(32).fill(8));
const box = `${MAILBOXES_PATH}/${owner.mailboxId}`;

async function startGateway(i: number): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  await registerMailboxRoutes(app, { store: await MailboxStore.open(join(dir, `g${i}`)) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

const auth = (key = owner.mailbox, method: string, path: string, ts?: number) => ({ authorization: mailboxAuthorization(key, method, path, ts) });
const envelopeId = () => randomBytes(16).toString('hex');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trucom-mailbox-test-'));
  for (let i = 0; i < 4; i++) gateways.push(await startGateway(i));
});
after(async () => {
  for (const g of gateways) await g.app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('mailbox routes', () => {
  test('the owner creates a mailbox (201, then 200); others get 401', async () => {
    const { app } = gateways[0]!;
    assert.equal((await app.inject({ method: 'PUT', url: box })).statusCode, 401);
    assert.equal((await app.inject({ method: 'PUT', url: box, headers: auth(stranger.mailbox, 'PUT', box) })).statusCode, 401, 'a key that does not hash to the id');
    assert.equal((await app.inject({ method: 'PUT', url: box, headers: auth(owner.mailbox, 'PUT', box) })).statusCode, 201);
    assert.equal((await app.inject({ method: 'PUT', url: box, headers: auth(owner.mailbox, 'PUT', box) })).statusCode, 200);
  });

  test('store, list after a cursor, deduplicate, refuse replays after acknowledgement', async () => {
    const { app } = gateways[0]!;
    const ids = [envelopeId(), envelopeId(), envelopeId()];
    for (const [i, id] of ids.entries()) {
      const r = await app.inject({ method: 'PUT', url: `${box}/envelopes/${id}`, payload: Buffer.from(`sealed ${i}`), headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(r.statusCode, 201, r.body);
    }
    const again = await app.inject({ method: 'PUT', url: `${box}/envelopes/${ids[0]}`, payload: Buffer.from('sealed 0'), headers: { 'content-type': 'application/octet-stream' } });
    assert.deepEqual([again.statusCode, again.json()], [200, { stored: true, duplicate: true }]);
    const other = await app.inject({ method: 'PUT', url: `${box}/envelopes/${ids[0]}`, payload: Buffer.from('other bytes'), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(other.statusCode, 409);
    const list = `${box}/envelopes`;
    const all = (await app.inject({ method: 'GET', url: `${list}?after=0`, headers: auth(owner.mailbox, 'GET', list) })).json();
    assert.deepEqual(all.envelopes.map((e: { id: string }) => e.id), ids);
    assert.deepEqual(all.envelopes.map((e: { data: string }) => Buffer.from(e.data, 'base64url').toString()), ['sealed 0', 'sealed 1', 'sealed 2']);
    const later = (await app.inject({ method: 'GET', url: `${list}?after=${all.envelopes[0].cursor}`, headers: auth(owner.mailbox, 'GET', list) })).json();
    assert.deepEqual(later.envelopes.map((e: { id: string }) => e.id), ids.slice(1));
    const del = `${box}/envelopes/${ids[0]}`;
    assert.equal((await app.inject({ method: 'DELETE', url: del })).statusCode, 401);
    assert.equal((await app.inject({ method: 'DELETE', url: del, headers: auth(owner.mailbox, 'DELETE', del) })).statusCode, 204);
    assert.equal((await app.inject({ method: 'DELETE', url: del, headers: auth(owner.mailbox, 'DELETE', del) })).statusCode, 404);
    const replay = await app.inject({ method: 'PUT', url: del, payload: Buffer.from('sealed 0'), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(replay.statusCode, 409);
    assert.match(replay.json().error, /replay refused/);
    const rest = (await app.inject({ method: 'GET', url: list, headers: auth(owner.mailbox, 'GET', list) })).json();
    assert.deepEqual(rest.envelopes.map((e: { id: string }) => e.id), ids.slice(1));
  });

  test('unauthenticated, foreign, stale or misdirected reads → 401', async () => {
    const { app } = gateways[0]!;
    const list = `${box}/envelopes`;
    const cases = [
      {},
      auth(stranger.mailbox, 'GET', list),
      auth(owner.mailbox, 'GET', list, Math.floor(Date.now() / 1000) - 3600),
      auth(owner.mailbox, 'DELETE', list),
      auth(owner.mailbox, 'GET', `${MAILBOXES_PATH}/${stranger.mailboxId}/envelopes`),
      { authorization: 'TrucomMailbox garbage' },
    ];
    for (const headers of cases) assert.equal((await app.inject({ method: 'GET', url: list, headers })).statusCode, 401, JSON.stringify(headers));
  });

  test('unknown mailbox → 404; oversized → 413; malformed ids → 400; empty body → 400', async () => {
    const { app } = gateways[0]!;
    const unknown = await app.inject({ method: 'PUT', url: `${MAILBOXES_PATH}/${stranger.mailboxId}/envelopes/${envelopeId()}`, payload: Buffer.from('x'), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.json().error, /no mailbox/);
    const big = await app.inject({ method: 'PUT', url: `${box}/envelopes/${envelopeId()}`, payload: Buffer.alloc(MAX_ENVELOPE_BYTES + 1), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(big.statusCode, 413);
    const fits = await app.inject({ method: 'PUT', url: `${box}/envelopes/${envelopeId()}`, payload: Buffer.alloc(MAX_ENVELOPE_BYTES, 1), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(fits.statusCode, 201);
    assert.equal((await app.inject({ method: 'PUT', url: `${box}/envelopes/XYZ`, payload: Buffer.from('x'), headers: { 'content-type': 'application/octet-stream' } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PUT', url: `${MAILBOXES_PATH}/nothex/envelopes/${envelopeId()}`, payload: Buffer.from('x'), headers: { 'content-type': 'application/octet-stream' } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PUT', url: `${box}/envelopes/${envelopeId()}` })).statusCode, 400);
  });
});

describe('messaging through mailboxes on four gateways', () => {
  test('invites, offline delivery in order, one gateway down, tampering and replays refused, anchored proofs verify', async () => {
    const urls = gateways.map((g) => g.url);
    const alice = new Messenger(identityFromAccountKey(new Uint8Array(32).fill(21)));
    const bob = new Messenger(identityFromAccountKey(new Uint8Array(32).fill(22)));
    const aliceInvite = await alice.invite('alice', urls.slice(0, 3));
    const bobInvite = await bob.invite('bob', urls);
    alice.addContact(bobInvite);
    bob.addContact(aliceInvite);

    // Bob is offline: Alice writes five messages; he reads them all, in order, once.
    const sent = [];
    for (let i = 1; i <= 5; i++) sent.push(await alice.send('bob', `hello ${i}`));
    assert.deepEqual(sent[0]!.recipients, [{ contact: 'bob', copies: 4, failed: [] }]);
    const first = await bob.inbox();
    assert.deepEqual(first.messages.map((m) => m.message.text), ['hello 1', 'hello 2', 'hello 3', 'hello 4', 'hello 5']);
    assert.deepEqual(first.refused, []);
    assert.deepEqual((await bob.inbox()).messages, [], 'acknowledged everywhere: nothing twice');

    // One of Bob's gateways goes down: delivery completes on the other three, and Bob reads them.
    await gateways[3]!.app.close();
    const reply = await bob.send('alice', 'hi alice');
    const down = await alice.send('bob', 'while g3 is down');
    assert.deepEqual([down.recipients[0]!.copies, down.recipients[0]!.failed], [3, [urls[3]]]);
    assert.equal(alice.state.outbox.length, 1, 'retried later');
    const got = await bob.inbox();
    assert.deepEqual(got.messages.map((m) => m.message.text), ['while g3 is down']);
    assert.deepEqual(got.unreachable, [urls[3]]);
    assert.deepEqual((await alice.inbox()).messages.map((m) => m.message.text), ['hi alice']);
    assert.ok(reply.id);

    // A tampered envelope and a replayed envelope (new envelope id, same bytes) are refused; nothing is lost.
    const m = await alice.send('bob', 'genuine');
    const stored = (await fetch(`${urls[0]}${MAILBOXES_PATH}/${bob.me.mailboxId}/envelopes`, { headers: auth(bob.me.mailbox, 'GET', `${MAILBOXES_PATH}/${bob.me.mailboxId}/envelopes`) }).then((r) => r.json())) as { envelopes: { id: string; data: string }[] };
    const bytes = Buffer.from(stored.envelopes.at(-1)!.data, 'base64url');
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 3]! ^= 1;
    const tamperedId = envelopeId();
    for (const g of urls.slice(0, 3)) {
      await fetch(`${g}${MAILBOXES_PATH}/${bob.me.mailboxId}/envelopes/${tamperedId}`, { method: 'PUT', body: tampered, headers: { 'content-type': 'application/octet-stream' } });
    }
    const withTamper = await bob.inbox();
    assert.deepEqual(withTamper.messages.map((x) => x.id), [m.id]);
    assert.equal(withTamper.refused.length, 1);
    assert.match(withTamper.refused[0]!, /does not open/);
    await fetch(`${urls[1]}${MAILBOXES_PATH}/${bob.me.mailboxId}/envelopes/${envelopeId()}`, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    const replayed = await bob.inbox();
    assert.deepEqual(replayed.messages, []);
    assert.match(replayed.refused[0]!, /replay refused/);

    // Anchoring: Alice's pending hashes in one root; Bob gets the proofs; both verify; an altered copy fails.
    const chain = new Map<string, AnchorRecord>();
    const anchored = await alice.anchor(async (root, count) => {
      chain.set(root, { root, namespace: 'msg', sender: 'tru1alice', count, height: 42, time: 1_700_000_000 });
      return { txhash: 'AB', height: 42 };
    });
    assert.equal(anchored!.count, 7);
    const lookup = async (root: string) => chain.get(root);
    const v = await alice.verify(sent[2]!.id, lookup);
    assert.ok(v.ok && v.height === 42 && v.time === 1_700_000_000, JSON.stringify(v));
    assert.equal((await bob.inbox()).receipts, 1);
    const bv = await bob.verify(sent[2]!.id, lookup);
    assert.ok(bv.ok && bv.height === 42, JSON.stringify(bv));
    const original = bob.state.messages[sent[2]!.id]!;
    const altered = await verifyMessage({ ...original.message, text: 'hello 3!' }, original.proof, lookup, original.id);
    assert.ok(!altered.ok);
    assert.match(altered.reason, /does not match what was anchored/);
    const forged = await verifyMessage({ ...original.message, text: 'hello 3!' }, original.proof, lookup);
    assert.ok(!forged.ok && /does not match what was anchored/.test(forged.reason));
    assert.ok(!(await bob.verify(sent[2]!.id, async () => undefined)).ok, 'a root the chain does not have');
  });
});
