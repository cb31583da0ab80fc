import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { P2PNode, PEX_PROTOCOL, RemoteError, RequestTimeoutError, type P2PConfig } from './index.js';
import { waitFor } from './test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'trucom-p2p-'));
const running = new Set<P2PNode>();
after(async () => {
  await Promise.allSettled([...running].map((n) => n.stop()));
  rmSync(dir, { recursive: true, force: true });
});

const TOPIC = 'trucom/votes/1';
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

/** P2P_TEST_LOG=1 prints the nodes' logs (debug level with P2P_TEST_LOG=debug). */
function testLogger(name: string): P2PConfig['logger'] {
  const level = process.env.P2P_TEST_LOG;
  if (!level) return undefined;
  const out = (lvl: string) => (obj: object, msg?: string) => console.error(`[${name}] ${lvl} ${msg ?? ''} ${JSON.stringify(obj)}`);
  return { info: out('info'), warn: out('warn'), debug: level === 'debug' ? out('debug') : () => {} };
}

async function startNode(name: string, opts: Partial<P2PConfig> = {}): Promise<P2PNode> {
  const node = await P2PNode.start({
    logger: testLogger(name),
    listen: { host: '127.0.0.1', port: 0 },
    keyPath: join(dir, name, 'node_key.json'),
    peerBookPath: join(dir, name, 'peers.json'),
    bootstrap: [],
    topics: [TOPIC],
    maxMessageBytes: 64 * 1024,
    reconnectIntervalMs: 300,
    maxReconnectBackoffMs: 1000,
    pexIntervalMs: 1000,
    ...opts,
  });
  running.add(node);
  return node;
}

async function stopNode(node: P2PNode): Promise<void> {
  running.delete(node);
  await node.stop();
}

/** Records every payload a node receives on TOPIC. */
function inbox(node: P2PNode): string[] {
  const got: string[] = [];
  node.onMessage(TOPIC, (data) => got.push(text(data)));
  return got;
}

const connectedTo = (a: P2PNode, b: P2PNode) => a.connectedPeers().some((p) => p.peerId === b.peerId);
const fullMesh = (nodes: P2PNode[]) => nodes.every((a) => nodes.every((b) => a === b || connectedTo(a, b)));

/** Starts `names` nodes, all bootstrapped from the first only. */
async function cluster(prefix: string, n: number, opts: Partial<P2PConfig> = {}): Promise<P2PNode[]> {
  const first = await startNode(`${prefix}-0`, opts);
  const rest = await Promise.all(Array.from({ length: n - 1 }, (_, i) => startNode(`${prefix}-${i + 1}`, { bootstrap: [first.listenAddrs[0]!], ...opts })));
  const nodes = [first, ...rest];
  await waitFor(() => fullMesh(nodes), 10_000, `${prefix}: full mesh`);
  return nodes;
}

/** Publishes fresh payloads from `from` until `check` holds (subscriptions take a moment to propagate). */
async function publishUntil(from: P2PNode, prefix: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  let i = 0;
  await waitFor(() => {
    if (check()) return true;
    from.publish(TOPIC, bytes(`${prefix}-${i++}`));
    return false;
  }, timeoutMs, `delivery of ${prefix}`, 100);
}

test('three nodes with one bootstrap discover each other and gossip reaches all', async () => {
  const [a, b, c] = await cluster('discover', 3);
  const inA = inbox(a!);
  const inC = inbox(c!);
  await publishUntil(b!, 'hello', () => inA.some((m) => m.startsWith('hello')) && inC.some((m) => m.startsWith('hello')));
  // b and c only knew a: they found each other through peer exchange
  assert.ok(connectedTo(b!, c!));
  assert.ok(b!.knownPeers().some((p) => p.peerId === c!.peerId));
  const info = a!.connectedPeers();
  assert.equal(info.length, 2);
  assert.ok(info.every((p) => p.addr.includes('/tcp/') && (p.direction === 'inbound' || p.direction === 'outbound')));
  assert.ok(a!.listenAddrs[0]!.endsWith(`/p2p/${a!.peerId}`));
  for (const n of [a!, b!, c!]) await stopNode(n);
});

test('request/response: round trip, timeout, remote handler error, oversized request', async () => {
  const server = await startNode('rr-server', { maxMessageBytes: 1024 });
  const client = await startNode('rr-client', { bootstrap: [server.listenAddrs[0]!] });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  server.handle('/test/echo/1', async (req, from) => bytes(`${from === client.peerId ? 'ok' : 'who?'}:${text(req)}`));
  server.handle('/test/slow/1', async () => {
    await released;
    return bytes('late');
  });
  server.handle('/test/fail/1', async () => {
    throw new Error('boom');
  });
  try {
    assert.equal(text(await client.request(server.peerId, '/test/echo/1', bytes('ping'))), 'ok:ping');
    const t0 = Date.now();
    await assert.rejects(client.request(server.peerId, '/test/slow/1', bytes('x'), { timeoutMs: 300 }), RequestTimeoutError);
    assert.ok(Date.now() - t0 < 2_000);
    await assert.rejects(client.request(server.peerId, '/test/fail/1', bytes('x')), (err: unknown) => err instanceof RemoteError && /boom/.test(err.message));
    await assert.rejects(client.request(server.peerId, '/test/unknown/1', bytes('x'), { timeoutMs: 2_000 }));
    // 4 KiB is fine for the client (64 KiB cap) but over the server's 1 KiB cap: refused, client penalized
    await assert.rejects(client.request(server.peerId, '/test/echo/1', new Uint8Array(4096), { timeoutMs: 2_000 }));
    await waitFor(() => server.peerScore(client.peerId) > 0, 2_000, 'penalty for the oversized request');
    // and the server is still serving
    assert.equal(text(await client.request(server.peerId, '/test/echo/1', bytes('again'))), 'ok:again');
  } finally {
    release();
    await stopNode(client);
    await stopNode(server);
  }
});

test('oversized gossip and malformed pex are dropped and the sender penalized; a ban disconnects and refuses it', async () => {
  const strict = await startNode('bad-strict', { maxMessageBytes: 1024 });
  const sender = await startNode('bad-sender', { bootstrap: [strict.listenAddrs[0]!] });
  try {
    await waitFor(() => connectedTo(strict, sender), 5_000, 'connection');
    const got = inbox(strict);
    const big = 'X'.repeat(4096);
    await waitFor(
      () => {
        sender.publish(TOPIC, bytes(`${big}${Date.now()}`));
        return strict.peerScore(sender.peerId) > 0;
      },
      5_000,
      'penalty for oversized gossip',
      100,
    );
    assert.equal(got.filter((m) => m.startsWith('X')).length, 0, 'oversized message delivered');
    await publishUntil(sender, 'small', () => got.some((m) => m.startsWith('small')));

    // a peer that answers pex with garbage is penalized, and the node keeps going
    const before = strict.peerScore(sender.peerId);
    sender.handle(PEX_PROTOCOL, async () => bytes('{"peers": "nope"'));
    await waitFor(() => strict.peerScore(sender.peerId) > before + 10, 5_000, 'penalty for malformed pex');

    strict.penalize(sender.peerId, 'test: misbehaved', 1_000);
    assert.ok(strict.isBanned(sender.peerId));
    await waitFor(() => !connectedTo(strict, sender) && !connectedTo(sender, strict), 5_000, 'ban disconnect');
    // the banned peer's own dials are refused by the strict node's gater
    await assert.rejects(sender.request(strict.peerId, PEX_PROTOCOL, new Uint8Array(0), { timeoutMs: 2_000 }));
    assert.ok(!connectedTo(strict, sender));
  } finally {
    await stopNode(sender);
    await stopNode(strict);
  }
});

test('peer book: a node restarted on a new port with the same key is found again by the others', async () => {
  const [a, b, c] = await cluster('restart', 3);
  const bookPath = join(dir, 'restart-1', 'peers.json');
  await waitFor(() => {
    const peers = JSON.parse(readFileSync(bookPath, 'utf8')).peers as Record<string, { addrs: string[] }>;
    return peers[a!.peerId]?.addrs.length && peers[c!.peerId]?.addrs.length;
  }, 5_000, 'b persisting a and c in its peer book');
  const oldPort = b!.listenAddrs[0]!.split('/')[4]!;
  const id = b!.peerId;
  await stopNode(b!);
  await waitFor(() => !connectedTo(a!, b!) && !connectedTo(c!, b!), 5_000, 'b gone');

  // same key, new port, a fresh peer book that only knows a, and no peer exchange: b only dials a, so c must
  // learn b's new address from a (pex) and dial it itself
  const b2 = await startNode('restart-1', { peerBookPath: join(dir, 'restart-1b', 'peers.json'), bootstrap: [a!.listenAddrs[0]!], pex: false });
  assert.equal(b2.peerId, id);
  const newPort = b2.listenAddrs[0]!.split('/')[4]!;
  assert.notEqual(newPort, oldPort);
  await waitFor(() => connectedTo(c!, b2) && c!.knownPeers().find((p) => p.peerId === id)?.addrs.some((x) => x.endsWith(`/tcp/${newPort}`)), 10_000, 'c reconnecting to b on its new port');
  assert.equal(c!.connectedPeers().find((p) => p.peerId === id)?.direction, 'outbound', 'c dialed b');

  // and c itself, restarted with only its persisted peer book (no bootstrap), rejoins everyone
  await stopNode(c!);
  const c2 = await startNode('restart-2', { bootstrap: [] });
  await waitFor(() => fullMesh([a!, b2, c2]), 10_000, 'c rejoining from its peer book');
  const inC = inbox(c2);
  await publishUntil(b2, 'after-restart', () => inC.some((m) => m.startsWith('after-restart')));
  for (const n of [a!, b2, c2]) await stopNode(n);
});

test('setDenyPeer partitions a node both ways and healing restores gossip', async () => {
  const [a, b, c] = await cluster('partition', 3);
  const inA = inbox(a!);
  const inC = inbox(c!);
  await publishUntil(b!, 'before', () => inA.some((m) => m.startsWith('before')) && inC.some((m) => m.startsWith('before')));

  a!.setDenyPeer((id) => id !== a!.peerId);
  await waitFor(() => a!.connectedPeers().length === 0 && !connectedTo(b!, a!) && !connectedTo(c!, a!), 5_000, 'a cut off');
  // b and c are still together; a hears nothing of it
  await publishUntil(b!, 'during', () => inC.some((m) => m.startsWith('during')));
  assert.equal(inA.filter((m) => m.startsWith('during')).length, 0, 'message crossed the partition');
  // a refuses inbound (b's side has no rule) and outbound
  await assert.rejects(b!.request(a!.peerId, PEX_PROTOCOL, new Uint8Array(0), { timeoutMs: 2_000 }));
  await assert.rejects(a!.request(b!.peerId, PEX_PROTOCOL, new Uint8Array(0)), /denied/);
  assert.equal(a!.connectedPeers().length, 0);

  a!.setDenyPeer(undefined);
  await waitFor(() => fullMesh([a!, b!, c!]), 10_000, 'healed mesh');
  await publishUntil(b!, 'after', () => inA.some((m) => m.startsWith('after')));
  await publishUntil(a!, 'from-a', () => inC.some((m) => m.startsWith('from-a')));
  for (const n of [a!, b!, c!]) await stopNode(n);
});

test('sparse relay: a full mesh delivers without forwarding, a peer the publisher cannot reach still gets it, a bare payload is rejected', async () => {
  const sparse = { sparseRelayTopics: [TOPIC] };
  const [a, b, c] = await cluster('sparse', 3, sparse);
  const inA = inbox(a!);
  const inC = inbox(c!);
  // a publisher lists the subscribers it knows of: until b has heard a's and c's subscriptions, they forward
  await publishUntil(b!, 'mesh', () => a!.gossipStats.delivered > 0 && c!.gossipStats.delivered > 0);
  const forwarded = a!.gossipStats.forwarded + c!.gossipStats.forwarded;
  b!.publish(TOPIC, bytes('once'));
  await waitFor(() => inA.includes('once') && inC.includes('once'), 5_000, 'delivery of once');
  assert.equal(a!.gossipStats.forwarded + c!.gossipStats.forwarded, forwarded, 'forwarded in a full mesh');

  // d is kept away from b: b's messages reach d only if a or c forwards them
  const d = await startNode('sparse-d', { ...sparse, bootstrap: [a!.listenAddrs[0]!], denyPeer: (id) => id === b!.peerId });
  b!.setDenyPeer((id) => id === d.peerId);
  await waitFor(() => connectedTo(d, a!) && connectedTo(d, c!) && !connectedTo(d, b!), 10_000, 'd meshed with a and c only');
  const inD = inbox(d);
  await publishUntil(b!, 'around', () => inD.some((m) => m.startsWith('around')));
  assert.ok(a!.gossipStats.forwarded + c!.gossipStats.forwarded > 0);

  // a node that sends the bare payload on a sparse topic is scored down, and nothing is delivered
  const plain = await startNode('sparse-plain', { bootstrap: [a!.listenAddrs[0]!], pex: false });
  await waitFor(() => connectedTo(a!, plain), 5_000, 'plain connected');
  await waitFor(() => {
    plain.publish(TOPIC, bytes(`hello-${Date.now()}`));
    return a!.peerScore(plain.peerId) > 0;
  }, 5_000, 'penalty for a bare payload', 100);
  assert.equal(inA.filter((m) => m.startsWith('hello')).length, 0);
  for (const n of [a!, b!, c!, d, plain]) await stopNode(n);
});
