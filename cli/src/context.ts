import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { parseOutputFormat, type OutputFormat, type Writer } from './output.js';

/** The streams a command talks through; tests register commands with their own. */
export interface CliIo {
  readonly stdin: Readable & { readonly isTTY?: boolean };
  readonly stdout: Writer;
  readonly stderr: Writer;
}

export const processIo: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

/** What every command gets: the root program's global options, plus its streams. */
export interface CliContext extends CliIo {
  /** Absolute Trucom home (keyring/, devnet/). */
  readonly home: string;
  readonly output: OutputFormat;
}

export function cliContext(cmd: Command, io: CliIo): CliContext {
  const opts = cmd.optsWithGlobals<{ home?: string; output?: string }>();
  return {
    ...io,
    home: resolve(opts.home ?? process.env.TRUCOM_HOME ?? '.trucom'),
    output: parseOutputFormat(opts.output ?? 'text'),
  };
}

/**
 * A node's home given as `--home <dir>` to a subcommand. The program has a `--home` option of its own,
 * and commander reads program options after a subcommand too, so in `trucom validator start --home X`
 * the program takes X and the subcommand never sees it: read it from whichever got it.
 */
export function homeOption(program: Command, opts: { home?: string }, what: string): string {
  const home = opts.home ?? (program.getOptionValueSource('home') === 'cli' ? (program.opts().home as string) : undefined);
  if (!home) throw new Error(`required option '--home <dir>' not specified (${what})`);
  return home;
}
