import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { loadOrCreateIdentity } from './identity.js';
import { silentLogger } from './logger.js';
import { PeerBook } from './peer-book.js';
import { PeerScores } from './peer-scores.js';
import { decodePexResponse, encodePexResponse, MAX_PEX_PEERS, PexDecodeError } from './pex.js';
import { splitPeerAddr } from './addrs.js';
import { MAX_LISTED_PEERS, mustForward, unwrapReached, wrapReached } from './reached-peers.js';

const dir = mkdtempSync(join(tmpdir(), 'trucom-p2p-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const ID_A = '12D3KooWCijsJeygZYCaZhBtxBreeX1Qzii92sq6SVLjiXYYCKH7';
const ID_B = '12D3KooWDaaQZfrAq9W9jd9ftCy7yd3mkFEuMSZVPxDCuns6GQMj';

test('identity: created once with mode 0600, reloaded to the same peer id', async () => {
  const path = join(dir, 'id', 'node_key.json');
  const k1 = await loadOrCreateIdentity(path);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const k2 = await loadOrCreateIdentity(path);
  assert.equal(k1.type, 'Ed25519');
  assert.equal(peerIdFromPrivateKey(k2).toString(), peerIdFromPrivateKey(k1).toString());
});

test('addrs: bootstrap entries need /p2p/<peerId>', () => {
  assert.deepEqual(splitPeerAddr(`/ip4/127.0.0.1/tcp/26656/p2p/${ID_A}`), { peerId: ID_A, addr: '/ip4/127.0.0.1/tcp/26656' });
  assert.throws(() => splitPeerAddr('/ip4/127.0.0.1/tcp/26656'), /no \/p2p/);
  assert.throws(() => splitPeerAddr('not a multiaddr'), /invalid multiaddr/);
});

test('pex: round trip, malformed responses rejected, bad entries skipped, future lastSeen clamped', () => {
  const now = 1_000_000;
  const good = { id: ID_A, addrs: ['/ip4/127.0.0.1/tcp/1'], lastSeen: now - 5 };
  assert.deepEqual(decodePexResponse(encodePexResponse([good]), now), { peers: [good], invalid: 0 });
  for (const bad of ['garbage', '[]', '{"peers":{}}', 'null', JSON.stringify({ peers: new Array(MAX_PEX_PEERS + 1).fill(good) })]) {
    assert.throws(() => decodePexResponse(enc(bad), now), PexDecodeError, bad.slice(0, 20));
  }
  assert.throws(() => decodePexResponse(new Uint8Array([0xff, 0xfe, 0x00]), now), PexDecodeError);
  const mixed = decodePexResponse(
    enc({
      peers: [
        good,
        { id: 'not-a-peer-id', addrs: ['/ip4/1.2.3.4/tcp/1'], lastSeen: 1 },
        { id: ID_B, addrs: ['/not/an/addr'], lastSeen: 1 },
        { id: ID_B, addrs: [`/ip4/1.2.3.4/tcp/1/p2p/${ID_A}/p2p-circuit`], lastSeen: 1 },
        { id: ID_B, addrs: [], lastSeen: 1 },
        { id: ID_B, addrs: ['/ip4/1.2.3.4/tcp/1'], lastSeen: 'yesterday' },
        42,
        { id: ID_B, addrs: [`/ip4/1.2.3.4/tcp/9/p2p/${ID_B}`], lastSeen: now + 1e9 },
      ],
    }),
    now,
  );
  assert.equal(mixed.invalid, 6);
  assert.deepEqual(mixed.peers[1], { id: ID_B, addrs: ['/ip4/1.2.3.4/tcp/9'], lastSeen: now });
});

test('peer book: newest record wins, persisted atomically, corrupt file starts empty', async () => {
  const path = join(dir, 'book', 'peers.json');
  const book = await PeerBook.load(path, silentLogger);
  assert.equal(book.observe(ID_A, ['/ip4/127.0.0.1/tcp/1'], 100), true);
  assert.equal(book.observe(ID_A, ['/ip4/127.0.0.1/tcp/1'], 110), false);
  assert.equal(book.merge(ID_A, ['/ip4/127.0.0.1/tcp/2'], 105), false, 'older hearsay loses');
  assert.equal(book.merge(ID_A, ['/ip4/127.0.0.1/tcp/3'], 200), true, 'newer hearsay wins');
  assert.equal(book.merge(ID_B, ['/ip4/127.0.0.1/tcp/4'], 50), true);
  book.touch(ID_B, 60);
  await book.flush();
  const reloaded = await PeerBook.load(path, silentLogger);
  assert.deepEqual(reloaded.get(ID_A), { addrs: ['/ip4/127.0.0.1/tcp/3'], lastSeen: 200 });
  assert.deepEqual(reloaded.get(ID_B), { addrs: ['/ip4/127.0.0.1/tcp/4'], lastSeen: 60 });
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).version, 1);
  writeFileSync(path, '{"peers": ');
  assert.equal((await PeerBook.load(path, silentLogger)).size, 0);
});

test('scores: penalties decay, crossing the threshold bans for the window', () => {
  const s = new PeerScores({ banThreshold: 100, banMs: 1000, halfLifeMs: 1000 });
  assert.deepEqual(s.penalize(ID_A, 60, 0), { score: 60, banned: false });
  assert.equal(s.score(ID_A, 1000), 30);
  assert.equal(s.penalize(ID_A, 80, 1000).banned, true);
  assert.equal(s.isBanned(ID_A, 1500), true);
  assert.equal(s.isBanned(ID_A, 2001), false);
  assert.equal(s.isBanned(ID_B, 0), false);
});

test('reached peers: round trip, malformed envelopes, forwarding only to reach someone new', () => {
  const ID_C = '12D3KooWRBhwfeP2Y7TCx1SM6s8rwpFmXU7PRb3kS1Xr6TVgBUL7';
  const payload = enc('txs');
  const wrapped = wrapReached([ID_A, ID_B], payload);
  const reached = unwrapReached(wrapped)!;
  assert.deepEqual([...reached.payload], [...payload]);
  assert.equal(reached.tags!.size, 2);
  // b got it from a, and so did every other topic peer of b: nothing to forward
  assert.equal(mustForward(reached, [ID_A], ID_A), false);
  // b also knows c, whom a could not reach: forward
  assert.equal(mustForward(reached, [ID_A, ID_C], ID_A), true);
  // a list too long to carry is left out: receivers forward as plain gossipsub does
  const many = Array.from({ length: MAX_LISTED_PEERS + 1 }, (_, i) => `${ID_A}${i}`);
  const unlisted = unwrapReached(wrapReached(many, payload))!;
  assert.equal(unlisted.tags, undefined);
  assert.equal(mustForward(unlisted, [ID_A], ID_A), true);
  assert.deepEqual([...unlisted.payload], [...payload]);
  // malformed: empty, a count beyond the limit, tags cut short
  assert.equal(unwrapReached(new Uint8Array(0)), undefined);
  assert.equal(unwrapReached(Uint8Array.of(MAX_LISTED_PEERS + 1, ...new Uint8Array(1000))), undefined);
  assert.equal(unwrapReached(wrapped.subarray(0, 10)), undefined);
});
