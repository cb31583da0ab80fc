import { join, resolve } from 'node:path';
import { DEFAULT_HOST, DEFAULT_RPC, parseHttpUrl, parseServiceFlags } from '@trucom/nest-common';

export interface DashboardConfig {
  readonly host: string;
  readonly port: number;
  /** The validator's CometBFT-compatible JSON-RPC endpoint the dashboard reads the chain from. */
  readonly rpc: string;
  /** The validator's Cosmos REST endpoint (bank, staking, market, sites, grants; the devnet faucet). */
  readonly rest: string;
  /** Gateways the browser uploads to and plays streams from (the first is the default). */
  readonly gateways: readonly string[];
  readonly chainId: string;
  /** Whether the REST endpoint has a faucet (`POST /faucet`), as on the devnet. */
  readonly faucet: boolean;
  /** Data directory: the payment index lives in `<home>/payments` (LevelDB). */
  readonly home: string;
}

export const DEFAULT_DASHBOARD_PORT = 3000;
export const DEFAULT_REST = 'http://127.0.0.1:1317';
export const DEFAULT_GATEWAYS = [8080, 8081, 8082, 8083].map((p) => `http://127.0.0.1:${p}`);
export const DEFAULT_CHAIN_ID = 'trucom-devnet-1';

export const DASHBOARD_USAGE = `Usage: node apps/dashboard/dist/main.js [options]

Trucom dashboard: the web UI for publishers, viewers and validators (the single-page app at /,
/config.json, /keplr-chain-info.json, /api/v1/payments?owner=…, /health, /metrics).

Options:
  --port <n>          HTTP port (env TRUCOM_DASHBOARD_PORT, default ${DEFAULT_DASHBOARD_PORT}; 0 = any free port)
  --host <ip>         address to bind (default ${DEFAULT_HOST})
  --rpc <url>         validator RPC endpoint (default ${DEFAULT_RPC})
  --rest <url>        validator REST endpoint (default ${DEFAULT_REST})
  --gateways <urls>   comma-separated gateway URLs (default ${DEFAULT_GATEWAYS.join(',')})
  --chain-id <id>     chain id (default ${DEFAULT_CHAIN_ID})
  --no-faucet         hide the faucet button (the REST endpoint has no POST /faucet)
  --home <dir>        data directory for the payment index, created if missing
                      (default $TRUCOM_HOME/dashboard, TRUCOM_HOME defaults to .trucom)
  -h, --help          show this help
`;

const EXTRA = new Set(['--rest', '--gateways', '--chain-id']);

/** Reads the dashboard's flags; `undefined` means --help was asked for. Throws on a bad flag. */
export function parseDashboardArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DashboardConfig | undefined {
  const extra = new Map<string, string>();
  const rest: string[] = [];
  let faucet = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name === '--no-faucet') faucet = false;
    else if (EXTRA.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new Error(`${name} needs a value`);
      extra.set(name, value);
    } else rest.push(arg);
  }
  const flags = parseServiceFlags(rest, env, { portEnv: 'TRUCOM_DASHBOARD_PORT', defaultPort: DEFAULT_DASHBOARD_PORT, withHome: true });
  if (!flags) return undefined;
  const gateways = extra.has('--gateways')
    ? extra
        .get('--gateways')!
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean)
        .map((g) => parseHttpUrl(g, '--gateways'))
    : DEFAULT_GATEWAYS;
  if (gateways.length === 0) throw new Error('--gateways: give at least one gateway URL');
  const chainId = extra.get('--chain-id') ?? DEFAULT_CHAIN_ID;
  if (!/^[a-zA-Z0-9_.-]{1,64}$/.test(chainId)) throw new Error(`--chain-id: ${JSON.stringify(chainId)} is not a chain id`);
  const home = resolve(flags.home ?? join(env.TRUCOM_HOME || '.trucom', 'dashboard'));
  return { host: flags.host, port: flags.port, rpc: flags.rpc, rest: parseHttpUrl(extra.get('--rest') ?? DEFAULT_REST, '--rest'), gateways, chainId, faucet, home };
}

/** What the browser app reads at start (`GET /config.json`). */
export function clientConfig(config: DashboardConfig) {
  return { chainId: config.chainId, rpc: config.rpc, rest: config.rest, gateways: config.gateways, faucet: config.faucet, denom: 'utru', displayDenom: 'TRU', decimals: 6, prefix: 'tru', gasPrice: '0.01utru' };
}

/** Keplr's ChainInfo for `window.keplr.experimentalSuggestChain` (`GET /keplr-chain-info.json`). */
export function keplrChainInfo(config: DashboardConfig) {
  const currency = { coinDenom: 'TRU', coinMinimalDenom: 'utru', coinDecimals: 6 };
  const prefix = 'tru';
  return {
    chainId: config.chainId,
    chainName: config.chainId === DEFAULT_CHAIN_ID ? 'Trucom devnet' : `Trucom (${config.chainId})`,
    rpc: config.rpc,
    rest: config.rest,
    bip44: { coinType: 118 },
    bech32Config: {
      bech32PrefixAccAddr: prefix,
      bech32PrefixAccPub: `${prefix}pub`,
      bech32PrefixValAddr: `${prefix}valoper`,
      bech32PrefixValPub: `${prefix}valoperpub`,
      bech32PrefixConsAddr: `${prefix}valcons`,
      bech32PrefixConsPub: `${prefix}valconspub`,
    },
    currencies: [currency],
    feeCurrencies: [{ ...currency, gasPriceStep: { low: 0.01, average: 0.01, high: 0.02 } }],
    stakeCurrency: currency,
    features: [],
  };
}
