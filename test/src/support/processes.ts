/** Child processes, ports and temp directories, for tests that must leave nothing behind. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, TRUCOM_CLI } from './constants.js';

export function makeTempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True when nothing accepts TCP connections on 127.0.0.1:port. */
export function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Pids of live processes whose command line mentions `needle` (Linux /proc), other than this one. */
export function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(needle)) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Pids of the live descendants of `pid` (Linux /proc). */
export function descendantPids(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      const list = parents.get(Number(ppid)) ?? [];
      list.push(Number(name));
      parents.set(Number(ppid), list);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const visit = (p: number) => {
    for (const c of parents.get(p) ?? []) {
      out.push(c);
      visit(c);
    }
  };
  visit(pid);
  return out;
}

/** True while a process with this pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** `node …args` from the repository root; `detached` puts it in a process group of its own (for Ctrl-C). */
export function spawnNode(args: readonly string[], env: NodeJS.ProcessEnv, options: { detached?: boolean } = {}): Spawned {
  const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** The environment for child processes, without any TRUCOM_* variable of the surrounding shell. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TRUCOM_')) env[k] = v;
  return { ...env, ...extra };
}

/** Runs `node bin/trucom.js …args` to completion. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv(), timeoutMs = 60_000) {
  const p = spawnNode([TRUCOM_CLI, ...args], env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  try {
    const { code, signal } = await p.exited;
    assert.equal(signal, null, `trucom ${args.join(' ')} was killed (${signal}) after ${timeoutMs} ms; stderr: ${p.stderr()}`);
    return { code, stdout: p.stdout(), stderr: p.stderr() };
  } finally {
    clearTimeout(timer);
  }
}
