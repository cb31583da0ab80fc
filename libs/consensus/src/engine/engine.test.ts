/**
 * The engine (machine + WAL + signer + block sync) over real ChainNodes on LevelDB, with an
 * in-process network. Cross-process runs over libp2p are in test/.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainNode, CommittedState, openChainDB, makeValidator, headerHash, type ChainDB, type GenesisState } from '@trucom/chain';
import { TOY_CHAIN_ID, toyApplication, toyTx, counterKey } from '@trucom/chain/testing';
import { toHex } from '@trucom/crypto';
import { createPrivValidatorKeyFile, loadPrivValidator, type PrivValidator } from '../priv-validator.js';
import { SafeSigner } from '../safe-signer.js';
import { TendermintEngine } from './tendermint-engine.js';
import { BlockSync } from './block-sync.js';
import { TxGossip } from './tx-gossip.js';
import { MemoryHub } from './testing/memory-network.js';

const silent = { info() {}, warn() {}, debug() {}, error() {} };
const TIMEOUTS = { propose: 400, prevote: 150, precommit: 150, delta: 100 };

interface TestNode {
  id: string;
  dir: string;
  key: PrivValidator;
  db?: ChainDB;
  node?: ChainNode;
  engine?: TendermintEngine;
  sync?: BlockSync;
  gossip?: TxGossip;
}

async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

class Net {
  readonly hub = new MemoryHub();
  readonly root = mkdtempSync(join(tmpdir(), 'trucom-engine-'));
  readonly nodes: TestNode[];
  readonly genesis: GenesisState;

  constructor(n: number, readonly byzantine?: number) {
    this.nodes = Array.from({ length: n }, (_, i) => {
      const dir = join(this.root, `n${i}`);
      return { id: `n${i}`, dir, key: createPrivValidatorKeyFile(join(dir, 'key.json')) };
    });
    this.genesis = {
      chainId: TOY_CHAIN_ID,
      time: { seconds: Math.floor(Date.now() / 1000) - 10, nanos: 0 },
      validators: this.nodes.map((t) => makeValidator(t.key.publicKey, 10, t.id)),
      appState: { toy: {} },
    };
  }

  async start(t: TestNode): Promise<void> {
    t.db = await openChainDB(join(t.dir, 'db'));
    t.node = await ChainNode.open({ db: t.db, app: toyApplication(await CommittedState.open(t.db)), genesis: this.genesis });
    const network = this.hub.join(t.id);
    const signer = SafeSigner.open(loadPrivValidator(join(t.dir, 'key.json')), join(t.dir, 'state.json'));
    const doubleSignWith = this.byzantine !== undefined && this.nodes[this.byzantine] === t ? t.key : undefined;
    t.engine = new TendermintEngine({ node: t.node, signer, network, walPath: join(t.dir, 'cs.wal'), log: silent, blockTimeMs: 30, timeouts: TIMEOUTS, resendMs: 300, doubleSignWith });
    const engine = t.engine;
    t.sync = new BlockSync({ node: t.node, network, log: silent, commit: (b, c) => engine.commitSynced(b, c), intervalMs: 200 });
    t.gossip = new TxGossip(t.node, network);
    t.engine.start();
    t.sync.start();
    t.gossip.start();
  }

  async stop(t: TestNode): Promise<void> {
    this.hub.leave(t.id);
    t.gossip?.stop();
    await t.sync?.stop();
    await t.engine?.stop();
    await t.db?.close();
    t.engine = t.sync = t.node = t.db = undefined;
  }

  async startAll(): Promise<void> {
    for (const t of this.nodes) await this.start(t);
  }

  async destroy(): Promise<void> {
    for (const t of this.nodes) if (t.db) await this.stop(t);
    rmSync(this.root, { recursive: true, force: true });
  }

  running(): TestNode[] {
    return this.nodes.filter((t) => t.node);
  }

  /** Every running node has reached `height`. */
  reached(height: number, nodes = this.running()): boolean {
    return nodes.every((t) => t.node!.height >= height);
  }

  /** Same block hash and app hash at every height every running node has. */
  async assertAgreement(): Promise<number> {
    const nodes = this.running();
    const top = Math.min(...nodes.map((t) => t.node!.height));
    for (let h = 1; h <= top; h++) {
      const blocks = await Promise.all(nodes.map((t) => t.node!.storedBlock(h)));
      const hashes = new Set(blocks.map((b) => toHex(headerHash(b!.block.header!))));
      const appHashes = new Set(blocks.map((b) => toHex(b!.results.appHash ?? new Uint8Array())));
      assert.equal(hashes.size, 1, `fork at height ${h}`);
      assert.equal(appHashes.size, 1, `app hashes differ at height ${h}`);
    }
    return top;
  }
}

describe('Tendermint engine over ChainNodes', () => {
  const nets: Net[] = [];
  // Each test's network is stopped when the test ends, so tests do not compete for the CPU.
  afterEach(async () => {
    for (const n of nets.splice(0)) await n.destroy();
  });

  test('four validators agree on every block, and a tx sent to one is committed by all', async () => {
    const net = new Net(4);
    nets.push(net);
    await net.startAll();
    await waitFor('height 3', () => net.reached(3));
    const [n0, , , n3] = net.nodes;
    const r = await n0!.node!.submitTx(toyTx([{ signer: 'alice', key: 'k', amount: 7 }]));
    assert.equal(r.code, 0, r.log);
    await waitFor('the tx committed everywhere', () => net.running().every((t) => readCounter(t) === 7));
    await waitFor('height 6', () => net.reached(6));
    assert.ok((await net.assertAgreement()) >= 6);
    // commits carry +2/3 of the signatures; the next block's last commit also takes precommits that
    // came after the decision, so with every validator up, last commits are mostly complete
    const stored = await n3!.node!.storedBlock(5);
    assert.ok(stored!.commit.signatures.filter((s) => s.signature && s.signature.length > 0).length >= 3);
    const signed = await Promise.all([3, 4, 5, 6].map(async (h) => (await n3!.node!.storedBlock(h))!.block.lastCommit!.signatures!.filter((s) => (s.signature?.length ?? 0) > 0).length));
    assert.ok(signed.filter((n) => n === 4).length >= 2, `signatures in last commits: ${signed}`);
  });

  test('one validator stops: the other three go on; restarted, it catches up and votes again', async () => {
    const net = new Net(4);
    nets.push(net);
    await net.startAll();
    await waitFor('height 2', () => net.reached(2));
    const victim = net.nodes[2]!;
    await net.stop(victim);
    const stoppedAt = net.running()[0]!.node!.height;
    await waitFor('3 validators make progress', () => net.reached(stoppedAt + 4));
    await net.start(victim);
    const target = Math.max(...net.running().map((t) => t.node!.height)) + 3;
    await waitFor('all four at a common height', () => net.reached(target), 30_000);
    await net.assertAgreement();
    // it signs again: its precommit appears in a later commit
    const address = toHex(victim.key.address);
    await waitFor('the restarted validator in a commit', async () => {
      const top = net.nodes[0]!.node!.height;
      const b = await net.nodes[0]!.node!.storedBlock(top);
      return b?.block.lastCommit?.signatures?.some((s) => toHex(s.validatorAddress ?? new Uint8Array()) === address && (s.signature?.length ?? 0) > 0);
    });
  });

  test('two of four stopped: no block; one back: progress resumes without a fork', async () => {
    const net = new Net(4);
    nets.push(net);
    await net.startAll();
    await waitFor('height 2', () => net.reached(2));
    await net.stop(net.nodes[0]!);
    await net.stop(net.nodes[1]!);
    await new Promise((r) => setTimeout(r, 200)); // let an in-flight height finish
    const halted = Math.max(...net.running().map((t) => t.node!.height));
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(Math.max(...net.running().map((t) => t.node!.height)) <= halted + 1, 'no progress without +2/3');
    await net.start(net.nodes[0]!);
    await waitFor('progress with 3 of 4', () => net.reached(halted + 3), 30_000);
    await net.assertAgreement();
  });

  test('partition 2|2: no progress; healed: progress, one chain', async () => {
    const net = new Net(4);
    nets.push(net);
    await net.startAll();
    await waitFor('height 2', () => net.reached(2));
    net.hub.partition(['n0', 'n1'], ['n2', 'n3']);
    await new Promise((r) => setTimeout(r, 200));
    const split = Math.max(...net.running().map((t) => t.node!.height));
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(Math.max(...net.running().map((t) => t.node!.height)) <= split + 1);
    net.hub.partition();
    await waitFor('progress after healing', () => net.reached(split + 3), 30_000);
    await net.assertAgreement();
  });

  test('a double-signing validator: evidence is committed in a block, the honest three go on', async () => {
    const net = new Net(4, 3);
    nets.push(net);
    await net.startAll();
    const honest = net.nodes[0]!;
    const withEvidence = await waitFor('a block with evidence', async () => {
      for (let h = 1; h <= honest.node!.height; h++) {
        const b = await honest.node!.storedBlock(h);
        if ((b?.block.evidence?.evidence?.length ?? 0) > 0) return b;
      }
      return undefined;
    });
    const misbehavior = honest.node!.decodeEvidence(withEvidence.block.evidence!.evidence![0]!, Number(withEvidence.block.header!.height));
    assert.notEqual(typeof misbehavior, 'string', String(misbehavior));
    assert.equal(toHex((misbehavior as { misbehavior: { address: Uint8Array } }).misbehavior.address), toHex(net.nodes[3]!.key.address));
    await net.assertAgreement();
  });

  test('a validator killed mid-height replays its WAL and never signs a conflicting vote', async () => {
    const net = new Net(4);
    nets.push(net);
    await net.startAll();
    await waitFor('height 2', () => net.reached(2));
    const t = net.nodes[1]!;
    // Stop abruptly (as far as an in-process test can): no flush beyond what was already fsynced.
    for (let i = 0; i < 5; i++) {
      await net.stop(t);
      await net.start(t);
      const next = Math.max(...net.running().map((n) => n.node!.height)) + 1;
      await waitFor('progress', () => net.reached(next));
    }
    await net.assertAgreement();
  });
});

function readCounter(t: TestNode): number {
  const committed = (t.node!.app as unknown as { state: CommittedState }).state;
  const v = committed.get(counterKey('k'));
  return v ? Number(new TextDecoder().decode(v)) : 0;
}
