import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A service entry point running as a child process, for tests of the process lifecycle. */
export interface ServiceProcess {
  readonly child: ChildProcess;
  /** The port from the service's `listening` log line. */
  readonly port: number;
  /** Sends `signal` and resolves with the exit code (null if the process died of a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `node <script> ...args` and waits for its pino `listening` line on stderr (pass `--port 0`
 * so tests never collide on ports). Rejects if the process exits first or after `timeoutMs`.
 */
export function spawnService(script: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, LOG_LEVEL: 'info', ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stderr: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${script} did not start listening within ${options.timeoutMs ?? 10_000} ms`)), options.timeoutMs ?? 10_000);
    let started = false;
    const fail = (err: Error) => {
      if (started) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${stderr.join('\n')}`));
    };
    void exited.then((code) => fail(new Error(`${script} exited with code ${code} before listening`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr.push(line);
      let entry: { msg?: string; port?: number };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (started || entry.msg !== 'listening' || typeof entry.port !== 'number') return;
      started = true;
      clearTimeout(timer);
      resolve({
        child,
        port: entry.port,
        stop(signal = 'SIGTERM') {
          child.kill(signal);
          return exited;
        },
      });
    });
  });
}
