/**
 * A devnet-shaped network of four validator processes for fault tests: the layout, keys, genesis
 * and node.json files come from the CLI's own devnet code (createDevnet + writeValidatorConfigs,
 * ports moved by the TRUCOM_* port variables), but only the validators run, each a child process of
 * the test that it can SIGKILL, SIGTERM and restart with extra environment. Each validator logs to
 * <dir>/logs/v<i>.log and is always started with its own TRUCOM_TEST_DENY_PEERS_FILE, so a test can
 * partition and heal the network by rewriting those files.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodePeerId } from '@trucom/p2p';
import { accountsFile, createDevnet, devnetLayout, validatorHome, writeValidatorConfigs, type DevnetAccount, type DevnetLayout } from '@trucom/cli/devnet';
import { REPO_ROOT, TRUCOM_CLI } from './constants.js';
import { VALIDATOR_NODE_FLAGS } from '@trucom/validator/config';
import { rpc } from './rpc.js';

export const VALIDATOR_MAIN = join(REPO_ROOT, 'apps', 'validator', 'dist', 'main.js');

export interface NetPorts {
  /** Validator i serves RPC on rpc + 10 i and libp2p on p2p + 10 i (the devnet's layout). */
  readonly rpc: number;
  readonly p2p: number;
  /** v0's REST port. */
  readonly rest: number;
}

export interface StartOptions {
  /** Extra environment (e.g. TRUCOM_TEST_DOUBLE_SIGN=1). */
  readonly env?: NodeJS.ProcessEnv;
  /** Run `node bin/trucom.js validator start --home <home>` instead of apps/validator/dist/main.js. */
  readonly viaCli?: boolean;
}

export interface BlockSummary {
  readonly height: number;
  readonly hash: string;
  readonly lastBlockHash: string;
  readonly appHash: string;
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of a validator child: none of the surrounding TRUCOM_* variables. */
function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TRUCOM_') && k !== 'LOG_LEVEL') env[k] = v;
  return { ...env, TRUCOM_ASSERT_INVARIANTS: '1', ...extra };
}

export class ValidatorNet {
  readonly size: number;
  readonly homes: string[];
  readonly rpcUrls: string[];
  readonly restUrl: string;
  /** libp2p peer ids (from each home's config/node_key.json). */
  readonly peerIds: string[];
  /** Consensus addresses (upper-case hex), as in commits and evidence. */
  readonly addresses: string[];
  readonly accounts: DevnetAccount[];
  readonly chainId: string;
  /**
   * How the test calls validator i's JSON-RPC: by default over HTTP to rpcUrls[i]. A test whose
   * validators are not reachable on the host's loopback (e.g. each in its own network namespace)
   * replaces it; every method of this class that reads a validator goes through it.
   */
  call: (i: number, method: string, params?: Record<string, unknown>) => Promise<any> = (i, method, params = {}) => rpc(this.rpcUrls[i]!, method, params);
  /** A command prefix that validator i's node process runs under (e.g. `ip netns exec <ns>`); none by default. */
  launcher: (i: number) => readonly string[] = () => [];
  private readonly procs: (Running | undefined)[];
  /** Every child ever started, so cleanup never misses one. */
  private readonly all: ChildProcess[] = [];

  private constructor(
    readonly dir: string,
    readonly layout: DevnetLayout,
    peerIds: string[],
  ) {
    this.size = layout.validators;
    this.homes = Array.from({ length: this.size }, (_, i) => validatorHome(layout, i));
    this.rpcUrls = this.homes.map((_, i) => `http://127.0.0.1:${layout.rpcPort(i)}`);
    this.restUrl = `http://127.0.0.1:${layout.restPort}`;
    this.peerIds = peerIds;
    this.addresses = this.homes.map((h) => (JSON.parse(readFileSync(join(h, 'config', 'priv_validator_key.json'), 'utf8')) as { address: string }).address);
    this.accounts = JSON.parse(readFileSync(accountsFile(layout), 'utf8')) as DevnetAccount[];
    this.chainId = layout.chainId;
    this.procs = this.homes.map(() => undefined);
    mkdirSync(join(dir, 'logs'), { recursive: true });
    for (let i = 0; i < this.size; i++) this.writeDenyFile(i, []);
  }

  /** Creates the devnet files in a fresh temp directory (nothing is started). */
  static async create(ports: NetPorts, validators = 4): Promise<ValidatorNet> {
    const dir = mkdtempSync(join(tmpdir(), 'trucom-faults-'));
    const saved = { rpc: process.env.TRUCOM_RPC_PORT, p2p: process.env.TRUCOM_P2P_PORT, rest: process.env.TRUCOM_REST_PORT };
    let layout: DevnetLayout;
    try {
      process.env.TRUCOM_RPC_PORT = String(ports.rpc);
      process.env.TRUCOM_P2P_PORT = String(ports.p2p);
      process.env.TRUCOM_REST_PORT = String(ports.rest);
      layout = devnetLayout(dir, validators);
    } finally {
      for (const [k, v] of [['TRUCOM_RPC_PORT', saved.rpc], ['TRUCOM_P2P_PORT', saved.p2p], ['TRUCOM_REST_PORT', saved.rest]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    await createDevnet(layout);
    const accounts = JSON.parse(readFileSync(accountsFile(layout), 'utf8')) as DevnetAccount[];
    await writeValidatorConfigs(layout, accounts.find((a) => a.name === 'faucet')!.mnemonic);
    const peerIds = await Promise.all(Array.from({ length: validators }, (_, i) => nodePeerId(join(validatorHome(layout, i), 'config', 'node_key.json'))));
    return new ValidatorNet(dir, layout, peerIds);
  }

  logFile(i: number): string {
    return join(this.dir, 'logs', `v${i}.log`);
  }

  log(i: number): string {
    return existsSync(this.logFile(i)) ? readFileSync(this.logFile(i), 'utf8') : '';
  }

  /** The JSON log lines of validator i (pino), optionally only those whose msg matches. */
  logLines(i: number, msg?: RegExp): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const line of this.log(i).split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (!msg || msg.test(String(entry.msg ?? ''))) out.push(entry);
      } catch {
        // a line cut by SIGKILL
      }
    }
    return out;
  }

  denyFile(i: number): string {
    return join(this.dir, `deny-v${i}.json`);
  }

  /** Atomically replaces validator i's deny list (the validator re-reads it within ~100 ms). */
  writeDenyFile(i: number, peerIds: readonly string[]): void {
    const tmp = `${this.denyFile(i)}.tmp`;
    writeFileSync(tmp, JSON.stringify(peerIds));
    renameSync(tmp, this.denyFile(i));
  }

  /** Splits the network: every validator in `a` refuses every validator in `b`, and vice versa. */
  partition(a: readonly number[], b: readonly number[]): void {
    for (const i of a) this.writeDenyFile(i, b.map((j) => this.peerIds[j]!));
    for (const i of b) this.writeDenyFile(i, a.map((j) => this.peerIds[j]!));
  }

  heal(): void {
    for (let i = 0; i < this.size; i++) this.writeDenyFile(i, []);
  }

  isRunning(i: number): boolean {
    const p = this.procs[i];
    return !!p && p.child.exitCode === null && p.child.signalCode === null;
  }

  running(): number[] {
    return this.homes.map((_, i) => i).filter((i) => this.isRunning(i));
  }

  /** Spawns validator i (does not wait for it). */
  start(i: number, options: StartOptions = {}): void {
    assert.ok(!this.isRunning(i), `v${i} is already running`);
    const fd = openSync(this.logFile(i), 'a');
    const args = [...VALIDATOR_NODE_FLAGS, ...(options.viaCli ? [TRUCOM_CLI, 'validator', 'start', '--home', this.homes[i]!] : [VALIDATOR_MAIN, '--home', this.homes[i]!])];
    let child: ChildProcess;
    try {
      writeFileSync(fd, `\n--- start v${i} ${new Date().toISOString()} ${options.viaCli ? '(trucom validator start)' : ''} ${JSON.stringify(options.env ?? {})}\n`);
      const prefix = this.launcher(i);
      const [file, argv] = prefix.length > 0 ? [prefix[0]!, [...prefix.slice(1), process.execPath, ...args]] : [process.execPath, args];
      child = spawn(file, argv, { cwd: REPO_ROOT, env: childEnv({ TRUCOM_TEST_DENY_PEERS_FILE: this.denyFile(i), ...options.env }), stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.procs[i] = { child, exited };
    this.all.push(child);
  }

  /** Starts every validator that is not running and waits until they all answer with a block. */
  async startAll(options: (i: number) => StartOptions = () => ({})): Promise<void> {
    for (let i = 0; i < this.size; i++) if (!this.isRunning(i)) this.start(i, options(i));
    await this.waitForHeight(this.running(), 1, 60_000);
  }

  /** SIGKILL (a crash) or SIGTERM (a clean stop); resolves once the process is gone. */
  async kill(i: number, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const p = this.procs[i];
    assert.ok(p && this.isRunning(i), `v${i} is not running`);
    p.child.kill(signal);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`v${i} did not exit within 20 s of ${signal}`)), 20_000).unref());
    return Promise.race([p.exited, timeout]);
  }

  /** Kills every child ever started (cleanup after any outcome) and waits for them to exit. */
  async killAll(): Promise<void> {
    const waits = this.all.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => {
      c.once('exit', r);
      c.kill('SIGKILL');
    }));
    await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, 10_000).unref())]);
  }

  /** Kills everything and deletes the directory, unless TRUCOM_KEEP_TEST_DIRS=1 (then its path is printed). */
  async destroy(): Promise<void> {
    await this.killAll();
    if (process.env.TRUCOM_KEEP_TEST_DIRS === '1') console.error(`kept ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
  }

  async height(i: number): Promise<number> {
    return Number((await this.call(i, 'status')).sync_info.latest_block_height);
  }

  /** Heights of the given validators; undefined for one that does not answer. */
  async heights(nodes: readonly number[] = this.running()): Promise<(number | undefined)[]> {
    return Promise.all(nodes.map((i) => this.height(i).catch(() => undefined)));
  }

  /** The highest height any of `nodes` reports (nodes that do not answer are skipped). */
  async maxHeight(nodes: readonly number[] = this.running()): Promise<number> {
    return Math.max(0, ...(await this.heights(nodes)).filter((h): h is number => h !== undefined));
  }

  /**
   * Waits until every one of `nodes` has committed `atLeast`; polls every 200 ms. Fails at once if
   * one of them exits, and on timeout says where every validator is.
   */
  async waitForHeight(nodes: readonly number[], atLeast: number, timeoutMs = 30_000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const dead = nodes.filter((i) => !this.isRunning(i));
      if (dead.length > 0) {
        const how = dead.map((i) => `v${i} (${this.procs[i]?.child.signalCode ?? this.procs[i]?.child.exitCode ?? 'never started'}, log ${this.logFile(i)})`);
        throw new Error(`waiting for height ${atLeast}: ${how.join(', ')} not running; last log lines: ${this.log(dead[0]!).split('\n').slice(-5).join('\n')}`);
      }
      const hs = await this.heights(nodes);
      if (hs.every((h) => h !== undefined && h >= atLeast)) return hs as number[];
      if (Date.now() > deadline) {
        const all = await this.heights(this.homes.map((_, i) => i));
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${nodes.map((i) => `v${i}`).join(', ')} at height ≥ ${atLeast}; heights of v0..v${this.size - 1}: ${JSON.stringify(all)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Waits until each of `nodes` is at least `blocks` above the highest height any of them has now. */
  async waitForProgress(nodes: readonly number[], blocks: number, timeoutMs = 30_000): Promise<number> {
    const target = (await this.maxHeight(nodes)) + blocks;
    await this.waitForHeight(nodes, target, timeoutMs);
    return target;
  }

  /** Headers of heights [from, to] as validator i stores them (the `blockchain` method, 20 per call). */
  async blocks(i: number, from: number, to: number): Promise<BlockSummary[]> {
    const out: BlockSummary[] = [];
    for (let max = to; max >= from; max -= 20) {
      const min = Math.max(from, max - 19);
      const r = await this.call(i, 'blockchain', { minHeight: String(min), maxHeight: String(max) });
      for (const m of r.block_metas as { block_id: { hash: string }; header: { height: string; last_block_id: { hash: string }; app_hash: string } }[]) {
        out.push({ height: Number(m.header.height), hash: m.block_id.hash, lastBlockHash: m.header.last_block_id.hash, appHash: m.header.app_hash });
      }
    }
    return out.sort((a, b) => a.height - b.height);
  }

  /**
   * No fork: every one of `nodes` (default: the running ones) has the same block hash and the same
   * app hash in the header at every height they all have, each block links to the one before, and
   * the app hash after the top common block (block_results) is the same everywhere. Returns the top
   * common height.
   */
  async assertAgreement(nodes: readonly number[] = this.running()): Promise<number> {
    assert.ok(nodes.length >= 2, 'agreement needs at least two validators');
    const heights = await this.heights(nodes);
    assert.ok(heights.every((h) => h !== undefined), `every validator answers (${JSON.stringify(heights)})`);
    const top = Math.min(...(heights as number[]));
    assert.ok(top >= 1, 'at least one common block');
    const chains = await Promise.all(nodes.map((i) => this.blocks(i, 1, top)));
    const [first, ...rest] = chains;
    assert.equal(first!.length, top, `v${nodes[0]} has every height 1..${top}`);
    for (let h = 1; h <= top; h++) {
      const b = first![h - 1]!;
      assert.equal(b.height, h);
      if (h > 1) assert.equal(b.lastBlockHash, first![h - 2]!.hash, `v${nodes[0]}: block ${h} links to block ${h - 1}`);
      for (const [k, other] of rest.entries()) {
        const o = other[h - 1];
        assert.deepEqual(o, b, `fork at height ${h}: v${nodes[0]} has ${JSON.stringify(b)}, v${nodes[k + 1]} has ${JSON.stringify(o)}`);
      }
    }
    const results = await Promise.all(nodes.map((i) => this.call(i, 'block_results', { height: String(top) })));
    const appHashes = new Set(results.map((r) => r.app_hash as string));
    assert.equal(appHashes.size, 1, `app hashes after block ${top} differ: ${JSON.stringify(results.map((r) => r.app_hash))}`);
    return top;
  }

  /** The /block result of validator i at `height`. */
  block(i: number, height: number): Promise<any> {
    return this.call(i, 'block', { height: String(height) });
  }
}
