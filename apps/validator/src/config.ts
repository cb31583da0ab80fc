import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A validator's settings: `<home>/config/node.json`, with per-port environment overrides. */
export interface NodeConfig {
  readonly moniker: string;
  readonly rpc: { readonly host: string; readonly port: number };
  /** The Cosmos REST API; only some nodes serve it (on the devnet, v0 on 1317). */
  readonly rest: { readonly host: string; readonly port: number } | null;
  readonly p2p: { readonly host: string; readonly port: number };
  /** libp2p multiaddrs (with /p2p/<peer id>) dialed at start; the peer book and peer exchange find the rest. */
  readonly bootstrap_peers: readonly string[];
  /** Node-local fee floor for admitting txs to the mempool. */
  readonly min_gas_price: string;
  readonly block_time_ms: number;
  /** Devnet only: the faucet account's seed phrase and how much each request gets. */
  readonly faucet: { readonly mnemonic: string; readonly amount: string } | null;
}

export const DEFAULT_NODE_CONFIG: NodeConfig = {
  moniker: 'trucom-node',
  rpc: { host: '127.0.0.1', port: 26657 },
  rest: null,
  p2p: { host: '127.0.0.1', port: 26656 },
  bootstrap_peers: [],
  min_gas_price: '0.01utru',
  block_time_ms: 1000,
  faucet: null,
};

export function homePaths(home: string) {
  return {
    config: join(home, 'config', 'node.json'),
    genesis: join(home, 'config', 'genesis.json'),
    privValidatorKey: join(home, 'config', 'priv_validator_key.json'),
    chainData: join(home, 'data', 'chain'),
    /** libp2p identity (node id), created on first start. */
    nodeKey: join(home, 'config', 'node_key.json'),
    peerBook: join(home, 'data', 'peers.json'),
    /** Consensus write-ahead log of the current height. */
    wal: join(home, 'data', 'cs.wal'),
    /** Last signed height/round/step (double-sign protection), fsynced before every signature. */
    privValidatorState: join(home, 'data', 'priv_validator_state.json'),
  };
}

function envPort(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got ${JSON.stringify(v)}`);
  return n;
}

export function loadNodeConfig(home: string): NodeConfig {
  const file = JSON.parse(readFileSync(homePaths(home).config, 'utf8')) as Partial<NodeConfig>;
  const c: NodeConfig = { ...DEFAULT_NODE_CONFIG, ...file };
  const rpcPort = envPort('TRUCOM_RPC_PORT');
  const restPort = envPort('TRUCOM_REST_PORT');
  const p2pPort = envPort('TRUCOM_P2P_PORT');
  return {
    ...c,
    p2p: p2pPort === undefined ? c.p2p : { ...c.p2p, port: p2pPort },
    rpc: rpcPort === undefined ? c.rpc : { ...c.rpc, port: rpcPort },
    rest: restPort === undefined || !c.rest ? c.rest : { ...c.rest, port: restPort },
  };
}

/**
 * Node/V8 flags validator processes are started with (the devnet, its tests, bench:consensus). A
 * devnet's validators share a few cores, where parallel GC helper threads race the other nodes for
 * CPU and cost more than they save: the collector runs on each node's own thread instead (about 7%
 * less CPU per tx in bench:consensus). A larger young generation (64 MiB semi-spaces, V8's default
 * is 16): under load a validator's txs, decoded txs and events live for a few hundred ms, so with
 * the default about half of what a scavenge found was still alive and got copied, five times a
 * second; with 64 MiB half as many scavenges run, in 40% less total pause. `trucom validator start`
 * runs in the CLI's own process and keeps Node's defaults.
 */
export const VALIDATOR_NODE_FLAGS: readonly string[] = ['--single-threaded-gc', '--max-semi-space-size=64'];
