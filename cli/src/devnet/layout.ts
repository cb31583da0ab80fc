import { join } from 'node:path';

/** Where the devnet lives and which ports it uses (DESIGN §9); base ports can be moved with env vars. */
export interface DevnetLayout {
  readonly dir: string;
  readonly validators: number;
  readonly gateways: number;
  readonly chainId: string;
  readonly rpcPort: (i: number) => number;
  readonly p2pPort: (i: number) => number;
  readonly restPort: number;
  readonly gatewayPort: (i: number) => number;
  readonly dashboardPort: number;
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name} must be a port number, got ${JSON.stringify(v)}`);
  return n;
}

export function devnetLayout(home: string, validators = 4): DevnetLayout {
  const rpc = envInt('TRUCOM_RPC_PORT', 26657);
  const p2p = envInt('TRUCOM_P2P_PORT', 26656);
  const gateway = envInt('TRUCOM_GATEWAY_PORT', 8080);
  return {
    dir: join(home, 'devnet'),
    validators,
    gateways: 4,
    chainId: 'trucom-devnet-1',
    rpcPort: (i) => rpc + 10 * i,
    p2pPort: (i) => p2p + 10 * i,
    restPort: envInt('TRUCOM_REST_PORT', 1317),
    gatewayPort: (i) => gateway + i,
    dashboardPort: envInt('TRUCOM_DASHBOARD_PORT', 3000),
  };
}

export const validatorHome = (l: DevnetLayout, i: number) => join(l.dir, `v${i}`);
export const gatewayHome = (l: DevnetLayout, i: number) => join(l.dir, `g${i}`);
export const dashboardHome = (l: DevnetLayout) => join(l.dir, 'dashboard');
export const accountsFile = (l: DevnetLayout) => join(l.dir, 'accounts.json');
export const genesisFile = (l: DevnetLayout) => join(l.dir, 'genesis.json');
export const logsDir = (l: DevnetLayout) => join(l.dir, 'logs');
