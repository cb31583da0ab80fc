import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_HOST, DEFAULT_RPC, parseServiceFlags } from '@trucom/nest-common';

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  /** Data directory (blockstore, keys, metering state); created at start. */
  readonly home: string;
  /** The validator's CometBFT-compatible JSON-RPC endpoint. */
  readonly rpc: string;
  /** Largest upload accepted (env TRUCOM_MAX_UPLOAD_BYTES). */
  readonly maxUploadBytes: number;
  /** How often the provider looks for assigned replicas, open challenges, and claims bandwidth. */
  readonly replicateEveryMs: number;
  readonly proveEveryMs: number;
  readonly claimEveryMs: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

export const DEFAULT_GATEWAY_PORT = 8080;

export const GATEWAY_USAGE = `Usage: node apps/gateway/dist/main.js [options]

Trucom gateway: serves content and meters bandwidth (GET /health, GET /metrics).

Options:
  --port <n>    HTTP port (env TRUCOM_GATEWAY_PORT, default ${DEFAULT_GATEWAY_PORT}; 0 = any free port)
  --host <ip>   address to bind (default ${DEFAULT_HOST})
  --home <dir>  gateway data directory, created if missing (default $TRUCOM_HOME/gateway, TRUCOM_HOME defaults to .trucom);
                its gateway.json ({"host","port","rpc"}) supplies what the flags do not
  --rpc <url>   validator RPC endpoint (default ${DEFAULT_RPC})
  -h, --help    show this help

A gateway whose home holds provider.json ({address, mnemonic}) is also a storage provider: it fetches
the replicas the chain assigns it, answers storage challenges and claims bandwidth.
Env: TRUCOM_MAX_UPLOAD_BYTES (default ${DEFAULT_MAX_UPLOAD_BYTES}).
`;

/** Reads the gateway's flags; `undefined` means --help was asked for. Throws on a bad flag. */
export function parseGatewayArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): GatewayConfig | undefined {
  const flags = parseServiceFlags(argv, env, { portEnv: 'TRUCOM_GATEWAY_PORT', defaultPort: DEFAULT_GATEWAY_PORT, withHome: true });
  if (!flags) return undefined;
  const home = resolve(flags.home ?? join(env.TRUCOM_HOME || '.trucom', 'gateway'));
  const file = readHomeConfig(home);
  const given = (flag: string) => argv.some((a) => a === flag || a.startsWith(`${flag}=`));
  return {
    host: given('--host') || file.host === undefined ? flags.host : file.host,
    port: given('--port') || env.TRUCOM_GATEWAY_PORT || file.port === undefined ? flags.port : file.port,
    home,
    rpc: given('--rpc') || file.rpc === undefined ? flags.rpc : file.rpc,
    maxUploadBytes: byteLimit(env.TRUCOM_MAX_UPLOAD_BYTES, 'TRUCOM_MAX_UPLOAD_BYTES') ?? DEFAULT_MAX_UPLOAD_BYTES,
    replicateEveryMs: 2_000,
    proveEveryMs: 2_000,
    claimEveryMs: 30_000,
  };
}

/** `<home>/gateway.json` ({host, port, rpc}): where a node's own settings live, so `--home` alone starts it. */
export function gatewayConfigFile(home: string): string {
  return join(home, 'gateway.json');
}

function readHomeConfig(home: string): { host?: string; port?: number; rpc?: string } {
  const path = gatewayConfigFile(home);
  if (!existsSync(path)) return {};
  const c = JSON.parse(readFileSync(path, 'utf8')) as { host?: unknown; port?: unknown; rpc?: unknown };
  if (c.port !== undefined && (!Number.isInteger(c.port) || (c.port as number) < 0 || (c.port as number) > 65535)) throw new Error(`${path}: port must be a port number`);
  if (c.rpc !== undefined && typeof c.rpc !== 'string') throw new Error(`${path}: rpc must be a URL`);
  if (c.host !== undefined && typeof c.host !== 'string') throw new Error(`${path}: host must be an address`);
  return c as { host?: string; port?: number; rpc?: string };
}

function byteLimit(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(value)) throw new Error(`${name} must be a positive number of bytes, got ${JSON.stringify(value)}`);
  return Number(value);
}
