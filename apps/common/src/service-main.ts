import type { Logger } from 'pino';
import { createLogger } from './logger.js';

export interface ServiceEntry<C> {
  readonly service: string;
  readonly usage: string;
  /** Parses argv; `undefined` means --help was asked for; throws on a bad flag. */
  readonly parse: (argv: readonly string[]) => C | undefined;
  readonly start: (config: C, options: { logger: Logger; exitOnSignal: true }) => Promise<unknown>;
}

/**
 * The body of a service's main.ts: flags (with usage on error or --help), a logger, start, and an
 * exit code a supervisor can read (1 when the service cannot start).
 */
export async function runServiceMain<C>(entry: ServiceEntry<C>, argv = process.argv.slice(2)): Promise<void> {
  let config: C | undefined;
  try {
    config = entry.parse(argv);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${entry.usage}`);
    process.exit(1);
  }
  if (!config) {
    process.stdout.write(entry.usage);
    process.exit(0);
  }
  const logger = createLogger(entry.service);
  try {
    await entry.start(config, { logger, exitOnSignal: true });
  } catch (err) {
    logger.fatal({ err }, `${entry.service} failed to start`);
    process.exit(1);
  }
}
