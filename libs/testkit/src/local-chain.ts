import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toBase64, toUpperHex } from '@trucom/crypto';
import { createPrivValidatorKeyFile } from '@trucom/consensus';
import { DEFAULT_CONSENSUS_PARAMS, type GenesisDoc } from '@trucom/app';
import { waitFor } from './poll.js';

export interface LocalChainOptions {
  readonly balances: readonly { address: string; amount: bigint }[];
  readonly rpcPort: number;
  readonly restPort?: number;
  readonly blockTimeMs?: number;
  readonly faucetMnemonic?: string;
  readonly minGasPrice?: string;
  readonly chainId?: string;
}

export interface LocalChain {
  readonly home: string;
  readonly chainId: string;
  readonly rpcUrl: string;
  readonly restUrl: string | undefined;
  readonly logFile: string;
  /** Starts (or restarts) the validator process and waits until it has produced a block. */
  start(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash at an arbitrary moment. */
  kill(): Promise<void>;
  /** Stops the process and deletes the home directory. */
  destroy(): Promise<void>;
}

const VALIDATOR_MAIN = fileURLToPath(new URL('../../../apps/validator/dist/main.js', import.meta.url));

async function rpcHeight(rpcUrl: string): Promise<number | undefined> {
  const res = await fetch(`${rpcUrl}/status`, { signal: AbortSignal.timeout(1000) });
  const h = Number(((await res.json()) as { result: { sync_info: { latest_block_height: string } } }).result.sync_info.latest_block_height);
  return h >= 1 ? h : undefined;
}

/** A one-validator chain in a temp directory, run as a real separate validator process. */
export function createLocalChain(options: LocalChainOptions): LocalChain {
  const home = mkdtempSync(join(tmpdir(), 'trucom-chain-'));
  const chainId = options.chainId ?? 'trucom-test-1';
  const key = createPrivValidatorKeyFile(join(home, 'config', 'priv_validator_key.json'));
  const genesis: GenesisDoc = {
    genesis_time: new Date().toISOString(),
    chain_id: chainId,
    initial_height: '1',
    consensus_params: DEFAULT_CONSENSUS_PARAMS,
    validators: [{ address: toUpperHex(key.address), pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(key.publicKey) }, power: '10', name: 'v0' }],
    app_hash: '',
    app_state: {
      auth: { accounts: options.balances.map((b) => ({ address: b.address })) },
      bank: { balances: options.balances.map((b) => ({ address: b.address, coins: [{ denom: 'utru', amount: b.amount.toString() }] })) },
    },
  };
  mkdirSync(join(home, 'config'), { recursive: true });
  writeFileSync(join(home, 'config', 'genesis.json'), JSON.stringify(genesis, null, 2));
  writeFileSync(
    join(home, 'config', 'node.json'),
    JSON.stringify({
      moniker: 'test-v0',
      rpc: { host: '127.0.0.1', port: options.rpcPort },
      rest: options.restPort ? { host: '127.0.0.1', port: options.restPort } : null,
      p2p: { host: '127.0.0.1', port: options.rpcPort - 1 },
      min_gas_price: options.minGasPrice ?? '0.01utru',
      block_time_ms: options.blockTimeMs ?? 1000,
      faucet: options.faucetMnemonic ? { mnemonic: options.faucetMnemonic, amount: '100000000utru' } : null,
    }),
  );
  const rpcUrl = `http://127.0.0.1:${options.rpcPort}`;
  const logFile = join(home, 'validator.log');
  let child: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);

  return {
    home,
    chainId,
    rpcUrl,
    restUrl: options.restPort ? `http://127.0.0.1:${options.restPort}` : undefined,
    logFile,
    async start() {
      const log = createWriteStream(logFile, { flags: 'a' });
      const env = { ...process.env };
      env.TRUCOM_ASSERT_INVARIANTS ??= '1'; // every block of every test chain is checked
      delete env.TRUCOM_RPC_PORT;
      delete env.TRUCOM_REST_PORT;
      // TRUCOM_PROFILE_DIR=<dir> writes a V8 CPU profile of the validator there when it exits.
      const profile = process.env.TRUCOM_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TRUCOM_PROFILE_DIR}`] : [];
      child = spawn(process.execPath, [...profile, ...(process.env.TRUCOM_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), VALIDATOR_MAIN, '--home', home], { stdio: ['ignore', 'pipe', 'pipe'], env });
      child.stdout!.pipe(log);
      child.stderr!.pipe(log);
      const proc = child;
      exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
      const earlyExit = exited.then((code) => {
        throw new Error(`validator exited with code ${code} during start; log: ${logFile}`);
      });
      await Promise.race([waitFor('the validator to produce a block', () => rpcHeight(rpcUrl), 30_000), earlyExit]);
    },
    async stop() {
      if (!child || child.exitCode !== null) return child?.exitCode ?? null;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (!child || child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async destroy() {
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        // unref'd: a pending grace timer must not keep the test process alive for 10 s after a clean exit
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
        if (child.exitCode === null) child.kill('SIGKILL');
        await exited;
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
