import { parseArgs } from 'node:util';
/** Helpers for the command-line flags every service entry point takes. */

/** A TCP port from a flag or an environment variable; 0 means "any free port". */
export function parsePort(value: string, source: string): number {
  const port = /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port > 65535) throw new Error(`${source}: expected a port number 0-65535, got ${JSON.stringify(value)}`);
  return port;
}

/** An absolute http(s) URL (such as a validator's RPC endpoint), without a trailing slash. */
export function parseHttpUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${source}: expected an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${source}: expected an http(s) URL, got ${JSON.stringify(value)}`);
  return url.href.replace(/\/+$/, '');
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_RPC = 'http://127.0.0.1:26657';

export interface ServiceFlags {
  readonly host: string;
  readonly port: number;
  readonly rpc: string;
  /** --home as given (only for services that take one). */
  readonly home?: string;
}

/**
 * The flags every HTTP service takes: --port (else the service's env var, else its default),
 * --host, --rpc, and --home where `withHome`. `undefined` means --help was asked for; a bad flag throws.
 */
export function parseServiceFlags(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  service: { readonly portEnv: string; readonly defaultPort: number; readonly withHome?: boolean },
): ServiceFlags | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      rpc: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...(service.withHome ? { home: { type: 'string' as const } } : {}),
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  const envPort = env[service.portEnv];
  const port = values.port !== undefined ? parsePort(values.port, '--port') : envPort ? parsePort(envPort, service.portEnv) : service.defaultPort;
  return {
    host: values.host ?? DEFAULT_HOST,
    port,
    rpc: parseHttpUrl(values.rpc ?? DEFAULT_RPC, '--rpc'),
    home: typeof values.home === 'string' ? values.home : undefined,
  };
}
