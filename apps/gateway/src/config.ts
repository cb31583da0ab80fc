import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseHttpUrl, parsePort } from '@trucom/nest-common';

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  /** Data directory (blockstore, keys, metering state); created at start. */
  readonly home: string;
  /** The validator's CometBFT-compatible JSON-RPC endpoint. */
  readonly rpc: string;
}

export const DEFAULT_GATEWAY_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_RPC = 'http://127.0.0.1:26657';

export const GATEWAY_USAGE = `Usage: node apps/gateway/dist/main.js [options]

Trucom gateway: serves content and meters bandwidth (GET /health, GET /metrics).

Options:
  --port <n>    HTTP port (env TRUCOM_GATEWAY_PORT, default ${DEFAULT_GATEWAY_PORT}; 0 = any free port)
  --host <ip>   address to bind (default ${DEFAULT_HOST})
  --home <dir>  gateway data directory, created if missing (default $TRUCOM_HOME/gateway, TRUCOM_HOME defaults to .trucom)
  --rpc <url>   validator RPC endpoint (default ${DEFAULT_RPC})
  -h, --help    show this help
`;

/** Reads the gateway's flags; `undefined` means --help was asked for. Throws on a bad flag. */
export function parseGatewayArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): GatewayConfig | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      home: { type: 'string' },
      rpc: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  const port =
    values.port !== undefined ? parsePort(values.port, '--port')
    : env.TRUCOM_GATEWAY_PORT ? parsePort(env.TRUCOM_GATEWAY_PORT, 'TRUCOM_GATEWAY_PORT')
    : DEFAULT_GATEWAY_PORT;
  return {
    host: values.host ?? DEFAULT_HOST,
    port,
    home: resolve(values.home ?? join(env.TRUCOM_HOME || '.trucom', 'gateway')),
    rpc: parseHttpUrl(values.rpc ?? DEFAULT_RPC, '--rpc'),
  };
}
