import { parseArgs } from 'node:util';
import { parseHttpUrl, parsePort } from '@trucom/nest-common';

export interface DashboardConfig {
  readonly host: string;
  readonly port: number;
  /** The validator's CometBFT-compatible JSON-RPC endpoint the dashboard reads the chain from. */
  readonly rpc: string;
}

export const DEFAULT_DASHBOARD_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_RPC = 'http://127.0.0.1:26657';

export const DASHBOARD_USAGE = `Usage: node apps/dashboard/dist/main.js [options]

Trucom dashboard: the web UI for publishers, viewers and validators (GET /, /health, /metrics).

Options:
  --port <n>    HTTP port (env TRUCOM_DASHBOARD_PORT, default ${DEFAULT_DASHBOARD_PORT}; 0 = any free port)
  --host <ip>   address to bind (default ${DEFAULT_HOST})
  --rpc <url>   validator RPC endpoint (default ${DEFAULT_RPC})
  -h, --help    show this help
`;

/** Reads the dashboard's flags; `undefined` means --help was asked for. Throws on a bad flag. */
export function parseDashboardArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DashboardConfig | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      rpc: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  const port =
    values.port !== undefined ? parsePort(values.port, '--port')
    : env.TRUCOM_DASHBOARD_PORT ? parsePort(env.TRUCOM_DASHBOARD_PORT, 'TRUCOM_DASHBOARD_PORT')
    : DEFAULT_DASHBOARD_PORT;
  return { host: values.host ?? DEFAULT_HOST, port, rpc: parseHttpUrl(values.rpc ?? DEFAULT_RPC, '--rpc') };
}
