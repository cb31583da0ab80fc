import { DEFAULT_HOST, DEFAULT_RPC, parseServiceFlags } from '@trucom/nest-common';

export interface DashboardConfig {
  readonly host: string;
  readonly port: number;
  /** The validator's CometBFT-compatible JSON-RPC endpoint the dashboard reads the chain from. */
  readonly rpc: string;
}

export const DEFAULT_DASHBOARD_PORT = 3000;

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
  const flags = parseServiceFlags(argv, env, { portEnv: 'TRUCOM_DASHBOARD_PORT', defaultPort: DEFAULT_DASHBOARD_PORT });
  return flags && { host: flags.host, port: flags.port, rpc: flags.rpc };
}
