/**
 * `trucom devnet` in a temp home on ports of the test's own (TRUCOM_*_PORT), in a process group of
 * its own: started, waited for (blocks, every gateway healthy), and stopped with
 * every process it started gone afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devnetEnv, waitFor, type DevnetPorts } from '@trucom/testkit';
import { TRUCOM_CLI } from './constants.js';
import { isAlive, makeTempDir, processesMentioning, spawnNode, type Spawned } from './processes.js';
import { latestHeight } from './rpc.js';

export interface DevnetAccount {
  readonly name: string;
  readonly address: string;
  readonly mnemonic: string;
}

export interface RunningDevnet {
  readonly home: string;
  readonly process: Spawned;
  readonly env: NodeJS.ProcessEnv;
  readonly rpc: string;
  readonly rest: string;
  /** Gateway base URLs, g0..g3. */
  readonly gateways: readonly string[];
  account(name: string): DevnetAccount;
  /** The pid of gateway g{i}'s process (found by its home path). */
  gatewayPid(i: number): number | undefined;
  /** SIGINT to the process group, then SIGKILL to whatever is left; removes the home. */
  stop(): Promise<void>;
}

/**
 * Each test picks its own `ports` below Linux's ephemeral range (32768-60999): a port in that range can be
 * held as the source port of an outbound connection when the service binds it (the likely reason a
 * dashboard once exited with code 1 in a fresh clone). `extraEnv` reaches every devnet process
 * (e.g. TRUCOM_ASSERT_INVARIANTS=1) and the CLI calls made with `env`.
 */
export async function startDevnet(prefix: string, ports: DevnetPorts, timeoutMs = 180_000, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningDevnet> {
  const tmp = makeTempDir(prefix);
  const env = devnetEnv(tmp.dir, ports, extraEnv);
  const p = spawnNode([TRUCOM_CLI, '--home', tmp.dir, 'devnet'], env, { detached: true });
  const rpc = `http://127.0.0.1:${ports.rpc}`;
  const gateways = [0, 1, 2, 3].map((i) => `http://127.0.0.1:${ports.gateway + i}`);
  const gatewayHome = (i: number) => join(tmp.dir, 'devnet', `g${i}`);
  const devnet: RunningDevnet = {
    home: tmp.dir,
    process: p,
    env,
    rpc,
    rest: `http://127.0.0.1:${ports.rest}`,
    gateways,
    account(name) {
      const accounts = JSON.parse(readFileSync(join(tmp.dir, 'devnet', 'accounts.json'), 'utf8')) as DevnetAccount[];
      const a = accounts.find((x) => x.name === name);
      if (!a) throw new Error(`no devnet account ${name}`);
      return a;
    },
    gatewayPid: (i) => processesMentioning(gatewayHome(i)).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('gateway')),
    async stop() {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        try {
          process.kill(-p.child.pid!, 'SIGINT');
        } catch {
          // gone
        }
        await Promise.race([p.exited, new Promise((r) => setTimeout(r, 20_000).unref())]);
      }
      for (const pid of processesMentioning(tmp.dir).filter(isAlive)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      try {
        process.kill(-p.child.pid!, 'SIGKILL');
      } catch {
        // the group is gone
      }
      tmp.remove();
    },
  };
  const early = p.exited.then(({ code, signal }) => {
    throw new Error(`devnet exited early (${signal ?? code}); stdout: ${p.stdout()}\nstderr: ${p.stderr()}${crashedServiceLog(p.stdout())}`);
  });
  early.catch(() => undefined);
  try {
    await Promise.race([
      (async () => {
        await waitFor('devnet height 2', async () => ((await latestHeight(rpc).catch(() => 0)) >= 2 ? true : undefined), timeoutMs);
        await waitFor('every gateway /health', async () => {
          for (const g of gateways) if ((await fetch(`${g}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined))?.status !== 200) return undefined;
          return true;
        }, timeoutMs);
      })(),
      early,
    ]);
  } catch (err) {
    await devnet.stop();
    throw err;
  }
  return devnet;
}

/**
 * The last lines of the log of the service whose exit stopped a devnet (the supervisor names the
 * file in its last words): the temp home, and the log with it, is gone by the time anyone reads
 * the failure.
 */
export function crashedServiceLog(stdout: string): string {
  const path = /see (\S+\.log)\. Stopping the devnet/.exec(stdout)?.[1];
  if (!path) return '';
  try {
    return `\n${path}, last lines:\n${readFileSync(path, 'utf8').trimEnd().split('\n').slice(-20).join('\n')}`;
  } catch {
    return '';
  }
}
