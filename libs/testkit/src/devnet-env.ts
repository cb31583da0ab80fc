/** The base ports `trucom devnet` takes from TRUCOM_*_PORT (validator i: rpc/p2p + 10·i; gateway i: gateway + i). */
export interface DevnetPorts {
  readonly rpc: number;
  readonly p2p: number;
  readonly rest: number;
  readonly gateway: number;
  readonly dashboard: number;
}

/**
 * The environment of a `trucom devnet` in `home` on `ports`, and of CLI calls to it: the current
 * environment without its own TRUCOM_* variables, plus `extra`.
 */
export function devnetEnv(home: string, ports: DevnetPorts, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TRUCOM_')) env[k] = v;
  return {
    ...env,
    TRUCOM_HOME: home,
    TRUCOM_RPC_PORT: String(ports.rpc),
    TRUCOM_P2P_PORT: String(ports.p2p),
    TRUCOM_REST_PORT: String(ports.rest),
    TRUCOM_GATEWAY_PORT: String(ports.gateway),
    TRUCOM_DASHBOARD_PORT: String(ports.dashboard),
    ...extra,
  };
}
