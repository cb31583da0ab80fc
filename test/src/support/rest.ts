/** The Cosmos REST (LCD) port: JSON in, JSON out. */
import { DENOM } from './constants.js';

export async function restJson<T = any>(restUrl: string, path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(`${restUrl}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    throw new Error(`${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body };
}

export function postJson<T = any>(url: string, path: string, body: unknown) {
  return restJson<T>(url, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export async function balanceOf(restUrl: string, address: string): Promise<bigint> {
  const r = await restJson<{ balances: { denom: string; amount: string }[] }>(restUrl, `/cosmos/bank/v1beta1/balances/${address}`);
  return BigInt(r.body.balances.find((b) => b.denom === DENOM)?.amount ?? '0');
}

export async function supplyOf(restUrl: string): Promise<bigint> {
  const r = await restJson<{ supply: { denom: string; amount: string }[] }>(restUrl, '/cosmos/bank/v1beta1/supply');
  return BigInt(r.body.supply.find((c) => c.denom === DENOM)?.amount ?? '0');
}
