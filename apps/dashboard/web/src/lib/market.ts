import type { AppConfig } from './config';
import { rest, restOptional } from './chain';

export interface ReplicaJson {
  provider: string;
  endpoint: string;
  status: string;
  last_proven_epoch: number;
  assigned_epoch: number;
  missed: number;
}

export interface DealJson {
  id: number;
  owner: string;
  cid: string;
  size: number;
  kind: string;
  status: string;
  price: string;
  replica_count: number;
  replicas: ReplicaJson[];
  escrow: string;
  paid: string;
  refunded: string;
  bandwidth: { budget: string; used: string };
  created_height: number;
  created_epoch: number;
  start_epoch: number;
  funded_until_epoch: number;
  current_epoch: number;
}

export interface ProviderJson {
  address: string;
  endpoint: string;
  status: string;
  capacity: number;
  used: number;
  price: string;
}

export interface MarketParams {
  epoch_blocks: number;
  min_replicas: number;
  max_replicas: number;
}

export const dealsOf = (config: AppConfig, owner: string) => rest<{ deals: DealJson[]; current_epoch: number }>(config, `/trucom/market/v1/deals?owner=${owner}`);
export const dealById = (config: AppConfig, id: string | number) => restOptional<DealJson>(config, `/trucom/market/v1/deals/${id}`);
export const marketParams = (config: AppConfig) => rest<MarketParams>(config, '/trucom/market/v1/params');
export const providersOf = async (config: AppConfig) => (await rest<{ providers: ProviderJson[] }>(config, '/trucom/market/v1/providers')).providers;

/** Epochs a deal has left before its escrow runs out (negative when past). */
export function epochsLeft(d: DealJson): number {
  return d.funded_until_epoch - d.current_epoch;
}

/** A warning is shown when an active deal runs out within this many epochs. */
export const RUNNING_OUT_EPOCHS = 30;
