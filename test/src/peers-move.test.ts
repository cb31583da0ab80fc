/**
 * Peers that move and peers that are found, with four real validator processes (see
 * support/validator-net.ts):
 *
 * - A validator restarted on another p2p port, knowing only one peer (bootstrap v0, its peer book
 *   deleted): the others learn its new address by themselves (identify + peer exchange, no config
 *   edited), it finds the other two through v0, votes again, and the chain stays one. Then a
 *   validator restarted with an empty bootstrap list reconnects from its persisted peer book alone.
 * - Four hosts: one validator per network namespace on a bridge (10.77.0.1-4/24), each listening
 *   on its own namespace IP. They make blocks and agree; one host's link cut: the other three go
 *   on; link back: it catches up. Skipped only when this machine cannot create network namespaces.
 *
 * Ports 31300-31399 (below Linux's ephemeral range, see consensus-faults.test.ts).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@trucom/testkit';
import { ValidatorNet } from './support/validator-net.js';

const execFileP = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ALL = [0, 1, 2, 3];
/** Validator i: RPC on rpc + 10 i, libp2p on p2p + 10 i (so 31306..31336 for p2p). */
const MOVE_PORTS = { rpc: 31307, p2p: 31306, rest: 31301 };
/** Where v2 moves to: a port no validator of this file uses. */
const MOVED_P2P_PORT = 31389;
/** The namespaced network (each namespace has its own ports; distinct anyway). */
const NS_PORTS = { rpc: 31357, p2p: 31356, rest: 31351 };

interface NodeJson {
  p2p: { host: string; port: number };
  rpc: { host: string; port: number };
  rest: { host: string; port: number } | null;
  bootstrap_peers: string[];
  [k: string]: unknown;
}

function readNodeJson(home: string): NodeJson {
  return JSON.parse(readFileSync(join(home, 'config', 'node.json'), 'utf8')) as NodeJson;
}

function writeNodeJson(home: string, config: NodeJson): void {
  writeFileSync(join(home, 'config', 'node.json'), `${JSON.stringify(config, null, 2)}\n`);
}

interface NetInfoPeer {
  node_info: { id: string; listen_addr: string };
  is_outbound: boolean;
  remote_ip: string;
}

async function netInfo(net: ValidatorNet, i: number): Promise<NetInfoPeer[]> {
  return (await net.call(i, 'net_info')).peers as NetInfoPeer[];
}

/** The addrs validator i's persisted peer book (<home>/data/peers.json) holds for `peerId`. */
function bookAddrs(net: ValidatorNet, i: number, peerId: string): string[] {
  const file = join(net.homes[i]!, 'data', 'peers.json');
  if (!existsSync(file)) return [];
  try {
    const book = JSON.parse(readFileSync(file, 'utf8')) as { peers: Record<string, { addrs: string[] }> };
    return book.peers[peerId]?.addrs ?? [];
  } catch {
    return []; // being replaced
  }
}

/**
 * Waits for a block after `after` whose last commit carries validator `v`'s precommit (it votes);
 * returns that block's height.
 */
async function waitForSignature(net: ValidatorNet, reader: number, v: number, after: number, timeoutMs = 30_000): Promise<number> {
  const address = net.addresses[v]!;
  let next = after + 1;
  return waitFor(`v${v}'s precommit in a last commit after height ${after}`, async () => {
    const top = await net.height(reader);
    for (; next <= top; next++) {
      const b = await net.block(reader, next);
      const sigs = b.block.last_commit.signatures as { validator_address: string; signature: string | null }[];
      if (sigs.some((s) => s.validator_address === address && s.signature)) return next;
    }
    return undefined;
  }, timeoutMs, 200);
}

describe('peers that move', { timeout: 150_000 }, () => {
  let net: ValidatorNet;

  before(async () => {
    net = await ValidatorNet.create(MOVE_PORTS);
    await net.startAll();
    await net.waitForHeight(ALL, 2, 60_000);
  });

  after(async () => {
    await net?.destroy();
  });

  /** Waits until validator i is connected to every peer id in `ids`; returns its net_info peers. */
  function connectedToAll(i: number, ids: readonly string[], timeoutMs = 30_000): Promise<NetInfoPeer[]> {
    return waitFor(`v${i} connected to ${ids.length} peers (net_info)`, async () => {
      const peers = await netInfo(net, i);
      return ids.every((id) => peers.some((p) => p.node_info.id === id)) ? peers : undefined;
    }, timeoutMs, 200);
  }

  it('v2 restarted on a new p2p port, knowing only v0: the others find it there, it finds them, it votes, one chain', async (t) => {
    const moved = 2;
    const others = [0, 1, 3];
    const id = net.peerIds[moved]!;
    const oldPort = net.layout.p2pPort(moved);
    const stopped = await net.kill(moved, 'SIGTERM');
    assert.deepEqual(stopped, { code: 0, signal: null });

    // new port, one bootstrap peer (v0), and no peer book: all it knows of the network is v0
    const config = readNodeJson(net.homes[moved]!);
    const v0 = config.bootstrap_peers.find((a) => a.endsWith(`/p2p/${net.peerIds[0]}`));
    assert.ok(v0, `v${moved}'s bootstrap list names v0: ${JSON.stringify(config.bootstrap_peers)}`);
    writeNodeJson(net.homes[moved]!, { ...config, p2p: { ...config.p2p, port: MOVED_P2P_PORT }, bootstrap_peers: [v0] });
    rmSync(join(net.homes[moved]!, 'data', 'peers.json'), { force: true });
    // nobody else's config is touched: they still list v2 at its old port
    for (const i of others) assert.ok(readNodeJson(net.homes[i]!).bootstrap_peers.some((a) => a.includes(`/tcp/${oldPort}/p2p/${id}`)));

    const restartedAt = await net.maxHeight(others);
    const t0 = Date.now();
    net.start(moved);

    // a node that knows one peer discovers the others (peer exchange through v0)
    const own = await connectedToAll(moved, others.map((i) => net.peerIds[i]!));
    t.diagnostic(`v${moved} connected to v0, v1, v3 after ${Date.now() - t0} ms: ${JSON.stringify(own.map((p) => [p.node_info.id.slice(-6), p.node_info.listen_addr, p.is_outbound]))}`);

    // the others know v2 at its new address: in net_info and in their persisted peer books
    const newAddr = `/tcp/${MOVED_P2P_PORT}/p2p/${id}`;
    for (const i of others) {
      const peers = await waitFor(`v${i}'s net_info to show v${moved} at port ${MOVED_P2P_PORT}`, async () => {
        const ps = await netInfo(net, i);
        return ps.some((p) => p.node_info.id === id && p.node_info.listen_addr.endsWith(newAddr)) ? ps : undefined;
      }, 30_000, 200);
      const entry = peers.find((p) => p.node_info.id === id)!;
      t.diagnostic(`v${i} sees v${moved} at ${entry.node_info.listen_addr} (${entry.is_outbound ? 'outbound' : 'inbound'}, remote ${entry.remote_ip})`);
      const book = await waitFor(`v${i}'s peer book to hold v${moved}'s new address`, () => {
        const addrs = bookAddrs(net, i, id);
        return addrs.some((a) => a.includes(`/tcp/${MOVED_P2P_PORT}`)) ? addrs : undefined;
      }, 15_000, 200);
      assert.ok(!book.some((a) => a.includes(`/tcp/${oldPort}`)), `v${i}'s book no longer lists v${moved}'s old port: ${JSON.stringify(book)}`);
    }

    // it catches up and votes again, and the chain is one
    const [caughtUp] = await net.waitForHeight([moved], restartedAt, 60_000);
    const signedIn = await waitForSignature(net, 0, moved, caughtUp! + 1);
    t.diagnostic(`v${moved} restarted at height ${restartedAt}, caught up to ${caughtUp}, its precommit is in block ${signedIn}'s last commit`);
    await net.waitForProgress(ALL, 2, 30_000);
    const top = await net.assertAgreement(ALL);
    assert.ok(top > signedIn);
  });

  it('v1 restarted with an empty bootstrap list: its persisted peer book brings it back (v2 at its new port too), it votes', async (t) => {
    const v = 1;
    const others = [0, 2, 3];
    const stopped = await net.kill(v, 'SIGTERM');
    assert.deepEqual(stopped, { code: 0, signal: null });
    const book = bookAddrs(net, v, net.peerIds[2]!);
    assert.ok(book.some((a) => a.includes(`/tcp/${MOVED_P2P_PORT}`)), `v${v}'s saved book has v2 at its new port: ${JSON.stringify(book)}`);
    const config = readNodeJson(net.homes[v]!);
    writeNodeJson(net.homes[v]!, { ...config, bootstrap_peers: [] });

    const restartedAt = await net.maxHeight(others);
    const t0 = Date.now();
    net.start(v);
    const peers = await connectedToAll(v, others.map((i) => net.peerIds[i]!));
    t.diagnostic(`v${v} (no bootstrap peers) connected to v0, v2, v3 after ${Date.now() - t0} ms`);
    const toV2 = peers.find((p) => p.node_info.id === net.peerIds[2])!;
    assert.ok(toV2.node_info.listen_addr.includes(`/tcp/${MOVED_P2P_PORT}/`), `v${v} knows v2 at ${toV2.node_info.listen_addr}`);

    const [caughtUp] = await net.waitForHeight([v], restartedAt, 60_000);
    const signedIn = await waitForSignature(net, 0, v, caughtUp! + 1);
    t.diagnostic(`v${v} restarted at height ${restartedAt}, caught up to ${caughtUp}, its precommit is in block ${signedIn}'s last commit`);
    await net.waitForProgress(ALL, 2, 30_000);
    await net.assertAgreement(ALL);
  });
});

/** Runs `ip …`; resolves with stdout, rejects with stderr in the message. */
async function ip(...args: string[]): Promise<string> {
  try {
    return (await execFileP('ip', args, { timeout: 10_000 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; code?: string | number; message: string };
    throw Object.assign(new Error(`ip ${args.join(' ')}: ${e.stderr?.trim() || e.message}`), { code: e.code, stderr: e.stderr ?? '' });
  }
}

describe('four hosts in network namespaces', { timeout: 120_000 }, () => {
  /** Unique per test process: parallel runs do not clash (interface names stay within 15 characters). */
  const tag = String(process.pid);
  const namespaces = ALL.map((i) => `trucom-${tag}-${i}`);
  const bridge = `trb${tag}`;
  const hostVeth = (i: number) => `trv${tag}h${i}`;
  const NS_VETH = 'veth0';
  const ipOf = (i: number) => `10.77.0.${i + 1}`;
  let unavailable: string | undefined;
  const created: string[] = [];
  let bridgeCreated = false;
  let net: ValidatorNet | undefined;

  before(async () => {
    // can this machine make network namespaces at all? (not: a container without CAP_SYS_ADMIN)
    try {
      await ip('netns', 'add', namespaces[0]!);
      created.push(namespaces[0]!);
    } catch (err) {
      const e = err as { code?: string | number; stderr?: string; message: string };
      if (e.code === 'ENOENT') unavailable = 'the `ip` command (iproute2) is not installed';
      else if (/permission|not permitted|EPERM|operation not supported/i.test(`${e.stderr} ${e.message}`)) unavailable = `network namespaces are not available here: ${e.message}`;
      else throw err;
      return;
    }
    await ip('link', 'add', bridge, 'type', 'bridge');
    bridgeCreated = true;
    await ip('link', 'set', bridge, 'up');
    for (const i of ALL) {
      const ns = namespaces[i]!;
      if (!created.includes(ns)) {
        await ip('netns', 'add', ns);
        created.push(ns);
      }
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await ip('link', 'add', hostVeth(i), 'type', 'veth', 'peer', 'name', NS_VETH, 'netns', ns);
      await ip('link', 'set', hostVeth(i), 'master', bridge);
      await ip('link', 'set', hostVeth(i), 'up');
      await ip('-n', ns, 'addr', 'add', `${ipOf(i)}/24`, 'dev', NS_VETH);
      await ip('-n', ns, 'link', 'set', NS_VETH, 'up');
    }

    // the devnet's files, then each validator moved to its own host: p2p and RPC on the namespace IP
    const n = await ValidatorNet.create(NS_PORTS);
    net = n;
    for (const i of ALL) {
      const config = readNodeJson(n.homes[i]!);
      writeNodeJson(n.homes[i]!, {
        ...config,
        p2p: { host: ipOf(i), port: n.layout.p2pPort(i) },
        rpc: { host: ipOf(i), port: n.layout.rpcPort(i) },
        rest: config.rest && { host: ipOf(i), port: config.rest.port },
        bootstrap_peers: ALL.filter((j) => j !== i).map((j) => `/ip4/${ipOf(j)}/tcp/${n.layout.p2pPort(j)}/p2p/${n.peerIds[j]}`),
      });
    }
    n.launcher = (i) => ['ip', 'netns', 'exec', namespaces[i]!];
    // the test reaches each RPC from inside that validator's namespace (the host has no address on the bridge)
    n.call = async (i, method, params = {}) => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
      const url = `http://${ipOf(i)}:${n.layout.rpcPort(i)}/`;
      const { stdout } = await execFileP('ip', ['netns', 'exec', namespaces[i]!, 'curl', '-sS', '--max-time', '5', '-H', 'content-type: application/json', '--data-binary', body, url], {
        timeout: 10_000,
        maxBuffer: 64 << 20,
      });
      const r = JSON.parse(stdout) as { result?: unknown; error?: unknown };
      if (r.error) throw new Error(`${method} failed on v${i}: ${JSON.stringify(r.error)}`);
      return r.result;
    };
  });

  after(async () => {
    // always: processes first (they hold the namespaces), then namespaces (their veth ends go with them), then the bridge
    await net?.destroy();
    for (const ns of created) await ip('netns', 'del', ns).catch((err: Error) => console.error(`cleanup: ${err.message}`));
    for (const i of ALL) await ip('link', 'del', hostVeth(i)).catch(() => undefined); // gone with its namespace already
    if (bridgeCreated) await ip('link', 'del', bridge).catch((err: Error) => console.error(`cleanup: ${err.message}`));
  });

  it('one validator per host: blocks, one chain; a host cut off: the other three go on; back: it catches up', async (t) => {
    if (unavailable) {
      t.skip(unavailable);
      return;
    }
    const n = net!;
    const t0 = Date.now();
    await n.startAll();
    await n.waitForHeight(ALL, 3, 60_000);
    // they really talk over the bridge: each sees the other three at their namespace IPs
    for (const i of ALL) {
      const peers = await waitFor(`v${i} connected to the other three`, async () => {
        const ps = await netInfo(n, i);
        return ps.length >= 3 ? ps : undefined;
      }, 30_000, 200);
      for (const p of peers) assert.match(p.node_info.listen_addr, /^\/ip4\/10\.77\.0\.[1-4]\/tcp\//, `v${i} reaches its peers on the bridge: ${p.node_info.listen_addr}`);
    }
    await n.assertAgreement(ALL);
    t.diagnostic(`four hosts up and at height ≥ 3 after ${Date.now() - t0} ms`);

    // cut v3's host off the network
    const cut = 3;
    const rest = [0, 1, 2];
    await ip('-n', namespaces[cut]!, 'link', 'set', NS_VETH, 'down');
    await sleep(300);
    const cutAt = await n.height(cut);
    const reached = await n.waitForProgress(rest, 3, 30_000);
    const stuck = await n.height(cut);
    assert.ok(stuck <= cutAt + 1, `v${cut}, cut off, stays where it was: ${cutAt} → ${stuck}`);
    assert.ok(n.isRunning(cut), `v${cut} still runs`);
    await n.assertAgreement(rest);
    t.diagnostic(`v${cut} cut off at height ${cutAt}; the other three reached ${reached}, v${cut} at ${stuck}`);

    // link back up: it catches up and the four agree
    await ip('-n', namespaces[cut]!, 'link', 'set', NS_VETH, 'up');
    const t1 = Date.now();
    const [caughtUp] = await n.waitForHeight([cut], await n.maxHeight(rest), 60_000);
    t.diagnostic(`link up: v${cut} caught up to ${caughtUp} in ${Date.now() - t1} ms`);
    await n.waitForProgress(ALL, 2, 30_000);
    const top = await n.assertAgreement(ALL);
    const signedIn = await waitForSignature(n, 0, cut, caughtUp! + 1);
    t.diagnostic(`one chain to height ${top}; v${cut}'s precommit is in block ${signedIn}'s last commit`);
  });
});
