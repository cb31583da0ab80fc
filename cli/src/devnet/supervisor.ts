import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ServiceSpec {
  readonly name: string;
  readonly script: string;
  readonly args: string[];
  /** Node/V8 flags the service's process starts with. */
  readonly nodeFlags?: readonly string[];
  /**
   * Set for services the devnet can run without for a while (a validator: 3 of 4 keep the chain
   * going): their exit is reported with this hint on how to run them again, and the rest go on.
   */
  readonly restartHint?: string;
}

/**
 * Runs the devnet's services as separate OS processes, each logging to <logs>/<name>.log; stops
 * them all (SIGTERM, then SIGKILL after a grace period) on Ctrl-C or when any of them dies.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;
  private readonly exited: Promise<number>;
  private resolveExit!: (code: number) => void;

  constructor(
    private readonly logs: string,
    private readonly say: (line: string) => void,
  ) {
    mkdirSync(logs, { recursive: true });
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  start(spec: ServiceSpec): void {
    const log = createWriteStream(join(this.logs, `${spec.name}.log`), { flags: 'a' });
    const env = { ...process.env };
    // Port variables were applied when the configs were written; children must not re-apply them.
    for (const k of ['TRUCOM_RPC_PORT', 'TRUCOM_REST_PORT', 'TRUCOM_P2P_PORT', 'TRUCOM_GATEWAY_PORT', 'TRUCOM_DASHBOARD_PORT']) delete env[k];
    const child = spawn(process.execPath, [...(spec.nodeFlags ?? []), spec.script, ...spec.args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.on('exit', (code, signal) => {
      this.children.delete(spec.name);
      if (!this.stopping && spec.restartHint) {
        this.say(`${spec.name} exited (${signal ?? `code ${code}`}); the rest of the devnet keeps running. ${spec.restartHint}`);
      } else if (!this.stopping) {
        // Ctrl-C in a terminal signals the whole process group, so a service may finish its clean
        // shutdown before our own handler runs: that is a stop, not a failure.
        const clean = code === 0 || signal === 'SIGINT' || signal === 'SIGTERM';
        if (clean) this.say(`${spec.name} stopped; stopping the devnet.`);
        else this.say(`${spec.name} exited unexpectedly (${signal ?? `code ${code}`}); see ${join(this.logs, spec.name + '.log')}. Stopping the devnet.`);
        void this.stop(clean ? 0 : 1);
      } else if (this.children.size === 0) {
        this.resolveExit(this.exitCode);
      }
    });
    this.children.set(spec.name, child);
    this.pids.set(spec.name, child.pid ?? 0);
  }

  /** Process ids of the services started, by name (so a user can stop one of them). */
  readonly pids = new Map<string, number>();

  private exitCode = 0;

  async stop(code = 0): Promise<number> {
    if (this.stopping) return this.exited;
    this.stopping = true;
    this.exitCode = code;
    if (this.children.size === 0) this.resolveExit(code);
    for (const child of this.children.values()) child.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const child of this.children.values()) child.kill('SIGKILL');
    }, 10_000);
    const result = await this.exited;
    clearTimeout(killer);
    return result;
  }

  wait(): Promise<number> {
    return this.exited;
  }
}
