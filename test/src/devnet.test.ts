/**
 * `trucom devnet` as a user runs it, with every port moved by environment variables and the home
 * in a temp directory: it produces blocks, writes accounts.json with funded accounts whose seed
 * phrases derive their addresses, serves /health and /metrics on every service and the REST
 * faucet, stops every process on Ctrl-C (SIGINT to the process group) with exit code 0, and a
 * second start resumes the same chain. Ports 29500-29599.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { isValidAddress } from '@trucom/crypto';
import { waitFor } from '@trucom/testkit';
import { testAccount } from '../../contracts/app/dist/testing.js';
import {
  balanceOf,
  cleanEnv,
  crashedServiceLog,
  descendantPids,
  isAlive,
  latestHeight,
  makeTempDir,
  portClosed,
  postJson,
  processesMentioning,
  rpc,
  spawnNode,
  TRUCOM_CLI,
  type Spawned,
} from './support/index.js';

const PORTS = { rpc: 29557, p2p: 29556, rest: 29517, gateway: 29580, dashboard: 29590 };
const ENV = {
  TRUCOM_RPC_PORT: String(PORTS.rpc),
  TRUCOM_P2P_PORT: String(PORTS.p2p),
  TRUCOM_REST_PORT: String(PORTS.rest),
  TRUCOM_GATEWAY_PORT: String(PORTS.gateway),
  TRUCOM_DASHBOARD_PORT: String(PORTS.dashboard),
};
const RPC = `http://127.0.0.1:${PORTS.rpc}`;
const REST = `http://127.0.0.1:${PORTS.rest}`;
const GATEWAYS = [0, 1, 2, 3].map((i) => PORTS.gateway + i);
const VALIDATOR_RPCS = [0, 1, 2, 3].map((i) => PORTS.rpc + 10 * i);
const HTTP_PORTS = [...VALIDATOR_RPCS, PORTS.rest, ...GATEWAYS, PORTS.dashboard];

interface DevnetAccount {
  readonly name: string;
  readonly address: string;
  readonly mnemonic: string;
}

describe('trucom devnet', { timeout: 300_000 }, () => {
  let home: ReturnType<typeof makeTempDir>;
  let devnet: Spawned | undefined;
  /** Every service process the devnets of this test started (killed in the end if a test failed). */
  const started: number[] = [];
  let firstRun: { height: number; genesis: unknown; chainId: string; accounts: string; funded: string; fundedBalance: bigint } | undefined;

  before(() => {
    home = makeTempDir('trucom-devnet-test-');
  });

  after(async () => {
    // normal runs stopped everything already; after a failure, stop what this test started
    if (devnet && devnet.child.exitCode === null && devnet.child.signalCode === null) {
      devnet.child.kill('SIGINT');
      await Promise.race([devnet.exited, new Promise((r) => setTimeout(r, 20_000).unref())]);
    }
    for (const pid of [...started.filter(isAlive), ...processesMentioning(home.dir)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    home.remove();
  });

  const accountsFile = () => join(home.dir, 'devnet', 'accounts.json');

  /** Starts `trucom --home <tmp> devnet` in its own process group and waits for height ≥ atLeast. */
  async function startDevnet(atLeast: number): Promise<Spawned> {
    const p = spawnNode([TRUCOM_CLI, '--home', home.dir, 'devnet'], cleanEnv(ENV), { detached: true });
    devnet = p;
    const early = p.exited.then(({ code, signal }) => {
      throw new Error(`devnet exited early (${signal ?? code}); stdout: ${p.stdout()}\nstderr: ${p.stderr()}${crashedServiceLog(p.stdout())}`);
    });
    early.catch(() => undefined);
    await Promise.race([
      waitFor(`devnet height ${atLeast}`, async () => ((await latestHeight(RPC)) >= atLeast ? true : undefined), 90_000),
      early,
    ]);
    // every service is up once each answers /health
    await Promise.race([
      waitFor('every devnet service', async () => {
        for (const port of HTTP_PORTS) if ((await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) })).status !== 200) return undefined;
        return true;
      }, 60_000),
      early,
    ]);
    await waitFor('the ready message', () => (p.stdout().includes('Ctrl-C stops the devnet') ? true : undefined), 30_000);
    // four validators, four gateways and the dashboard, each its own child process of the CLI
    const children = descendantPids(p.child.pid!);
    assert.equal(children.length, 9, 'nine devnet services');
    started.push(...children);
    return p;
  }

  /** Stops the devnet with SIGINT (to its process group: Ctrl-C, or to the CLI only) and checks it is all gone. */
  async function stopDevnet(p: Spawned, target: 'group' | 'cli') {
    if (target === 'group') process.kill(-p.child.pid!, 'SIGINT');
    else p.child.kill('SIGINT');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('devnet did not stop within 30 s')), 30_000).unref());
    const { code, signal } = await Promise.race([p.exited, timeout]);
    assert.equal(signal, null, `stdout: ${p.stdout()}`);
    assert.equal(code, 0, `exit code 0 on SIGINT; stdout: ${p.stdout()}\nstderr: ${p.stderr()}`);
    assert.doesNotMatch(p.stdout(), /exited unexpectedly/);
    await waitFor('every devnet process to exit', () => (started.every((pid) => !isAlive(pid)) && processesMentioning(home.dir).length === 0 ? true : undefined), 15_000);
    for (const port of HTTP_PORTS) assert.ok(await portClosed(port), `port ${port} is closed`);
  }

  it('starts with the ports moved by env variables and produces blocks', async () => {
    const p = await startDevnet(2);
    assert.match(p.stdout(), /created trucom-devnet-1/);
    assert.match(p.stdout(), new RegExp(`RPC http://127.0.0.1:${PORTS.rpc}`));
    const status = await rpc(RPC, 'status');
    assert.equal(status.node_info.network, 'trucom-devnet-1');
    assert.ok(Number(status.sync_info.latest_block_height) >= 2);
    // the four validators agree: same block at height 2 everywhere, signed by more than 2/3 of them
    const hashes = await Promise.all(VALIDATOR_RPCS.map(async (port) => {
      await waitFor(`validator on ${port} at height 2`, async () => ((await latestHeight(`http://127.0.0.1:${port}`)) >= 2 ? true : undefined), 60_000);
      return (await rpc(`http://127.0.0.1:${port}`, 'block', { height: '2' })).block_id.hash as string;
    }));
    assert.equal(new Set(hashes).size, 1, hashes.join(' '));
    assert.equal((await rpc(RPC, 'validators')).validators.length, 4);
    const commit = await rpc(RPC, 'commit', { height: '2' });
    assert.ok(commit.signed_header.commit.signatures.filter((s: { signature: string | null }) => s.signature).length >= 3);
  });

  it('writes accounts.json with funded faucet, publisher and viewer accounts whose mnemonics derive their addresses', async () => {
    const text = readFileSync(accountsFile(), 'utf8');
    const accounts = JSON.parse(text) as DevnetAccount[];
    for (const name of ['faucet', 'publisher', 'viewer', 'v0-operator']) assert.ok(accounts.some((a) => a.name === name), name);
    const client = await StargateClient.connect(RPC);
    try {
      for (const a of accounts) {
        assert.ok(isValidAddress(a.address), `${a.name}: ${a.address}`);
        assert.ok(a.mnemonic.split(' ').length >= 12);
        const wallet = await DirectSecp256k1HdWallet.fromMnemonic(a.mnemonic, { prefix: 'tru' });
        assert.equal((await wallet.getAccounts())[0]!.address, a.address, `${a.name}'s mnemonic derives its address`);
        assert.ok(BigInt((await client.getBalance(a.address, 'utru')).amount) > 0n, `${a.name} is funded`);
      }
    } finally {
      client.disconnect();
    }
    const publisher = accounts.find((a) => a.name === 'publisher')!;
    assert.ok((await balanceOf(REST, publisher.address)) > 0n, 'the publisher balance over REST');
  });

  it('answers /health and /metrics on every service', async () => {
    for (const port of HTTP_PORTS) {
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      assert.equal(health.status, 200, `port ${port} /health`);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(metrics.status, 200, `port ${port} /metrics`);
      assert.match(await metrics.text(), /^# (HELP|TYPE) /m);
    }
    const restHealth = (await (await fetch(`${REST}/health`)).json()) as { status: string; chain_id: string };
    assert.equal(restHealth.status, 'ok');
    assert.equal(restHealth.chain_id, 'trucom-devnet-1');
  });

  it('funds a new address from the REST faucet', async () => {
    const fresh = await testAccount(500);
    const r = await postJson(REST, '/faucet', { address: fresh.address });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(await balanceOf(REST, fresh.address), 100_000_000n);
    const status = await rpc(RPC, 'status');
    firstRun = {
      height: 0,
      genesis: (await rpc(RPC, 'genesis')).genesis,
      chainId: status.node_info.network,
      accounts: readFileSync(accountsFile(), 'utf8'),
      funded: fresh.address,
      fundedBalance: await balanceOf(REST, fresh.address),
    };
  });

  it('stops every process on Ctrl-C with exit code 0', async () => {
    assert.ok(devnet && firstRun);
    firstRun.height = await latestHeight(RPC);
    await stopDevnet(devnet, 'group');
    assert.match(devnet.stdout(), /stopping/);
  });

  it('resumes the same chain on a second start, and stops on SIGINT to the CLI alone', async () => {
    assert.ok(firstRun, 'the first run recorded its state');
    const p = await startDevnet(firstRun.height + 1);
    assert.match(p.stdout(), /resuming trucom-devnet-1/);
    const status = await rpc(RPC, 'status');
    assert.equal(status.node_info.network, firstRun.chainId);
    assert.ok(Number(status.sync_info.latest_block_height) > firstRun.height, 'the height continues above the previous run');
    assert.deepEqual((await rpc(RPC, 'genesis')).genesis, firstRun.genesis, 'same genesis');
    assert.equal(readFileSync(accountsFile(), 'utf8'), firstRun.accounts, 'accounts.json is kept');
    assert.equal(await balanceOf(REST, firstRun.funded), firstRun.fundedBalance, 'state from the first run is there');
    const block = await rpc(RPC, 'block', { height: String(firstRun.height) });
    assert.equal(block.block.header.height, String(firstRun.height), 'blocks of the first run are kept');
    await stopDevnet(p, 'cli');
  });
});
