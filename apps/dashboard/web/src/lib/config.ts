/** What the dashboard server tells the app at start (GET /config.json). */
export interface AppConfig {
  readonly chainId: string;
  readonly rpc: string;
  readonly rest: string;
  readonly gateways: readonly string[];
  readonly faucet: boolean;
  readonly denom: string;
  readonly gasPrice: string;
}

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch('/config.json', { cache: 'no-cache' });
  if (!res.ok) throw new Error(`the dashboard server did not give its configuration (${res.status})`);
  return (await res.json()) as AppConfig;
}
