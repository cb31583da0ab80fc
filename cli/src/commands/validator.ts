import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { homeOption } from '../context.js';
import { toBase64, toUpperHex } from '@trucom/crypto';
import { createPrivValidatorKeyFile, loadPrivValidator } from '@trucom/consensus';
import { DEFAULT_NODE_CONFIG, homePaths, loadNodeConfig, type NodeConfig } from '@trucom/validator/config';

function parsePort(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${what} must be a port number (1-65535), got ${JSON.stringify(text)}`);
  return n;
}

/** The libp2p peer id of the identity at `path`, created if missing (libp2p is loaded only when needed: it slows every command's start). */
async function peerIdOf(path: string): Promise<string> {
  const { nodePeerId } = await import('@trucom/p2p');
  return nodePeerId(path);
}

/** A libp2p address another node can be dialed at: `/ip4/<host>/tcp/<port>/p2p/<peer id>` (also ip6, dns). */
const BOOTSTRAP_ADDR = /^\/(ip4|ip6|dns|dns4|dns6)\/[^/]+\/tcp\/\d{1,5}\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/;

/** This node's dialable libp2p address, from its node.json host/port and its libp2p identity. */
export function nodeMultiaddr(host: string, port: number, peerId: string): string {
  const proto = host.includes(':') ? 'ip6' : /^[\d.]+$/.test(host) ? 'ip4' : 'dns';
  return `/${proto}/${host}/tcp/${port}/p2p/${peerId}`;
}

export interface NodeIdentity {
  readonly home: string;
  readonly moniker: string;
  /** Consensus address (upper-case hex), as in commits and /validators. */
  readonly address: string;
  readonly pub_key: { readonly type: 'tendermint/PubKeyEd25519'; readonly value: string };
  readonly peer_id: string;
  readonly p2p_address: string;
  readonly rpc: string;
}

/** What `validator show` prints (the libp2p identity is created on first use, as the node itself does). */
export async function nodeIdentity(home: string): Promise<NodeIdentity> {
  const paths = homePaths(home);
  if (!existsSync(paths.privValidatorKey)) throw new Error(`${paths.privValidatorKey} not found (run trucom validator init --home ${home} first)`);
  if (!existsSync(paths.config)) throw new Error(`${paths.config} not found (run trucom validator init --home ${home} first)`);
  const key = loadPrivValidator(paths.privValidatorKey);
  const config = loadNodeConfig(home);
  const peerId = await peerIdOf(paths.nodeKey);
  return {
    home,
    moniker: config.moniker,
    address: toUpperHex(key.address),
    pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(key.publicKey) },
    peer_id: peerId,
    p2p_address: nodeMultiaddr(config.p2p.host, config.p2p.port, peerId),
    rpc: `http://${config.rpc.host}:${config.rpc.port}`,
  };
}

function formatIdentity(id: NodeIdentity): string {
  return [
    `validator home ${id.home}`,
    `moniker   ${id.moniker}`,
    `address   ${id.address}`,
    `pub_key   ${id.pub_key.value}`,
    `peer_id   ${id.peer_id}`,
    `p2p       ${id.p2p_address}`,
    `rpc       ${id.rpc}`,
  ].join('\n');
}

interface InitFlags {
  readonly home?: string;
  readonly moniker: string;
  readonly genesis?: string;
  readonly bootstrap?: string[];
  readonly p2pPort?: string;
  readonly rpcPort?: string;
  readonly restPort?: string;
  readonly host?: string;
}

/** `trucom validator init|show|start`: create, describe or run one validator from its home directory. */
export function registerValidator(program: Command): void {
  const validator = program.command('validator').description('initialise or run a validator node');

  validator
    .command('init')
    .description('create a validator home: consensus key (priv_validator_key.json), libp2p identity (node_key.json) and node.json')
    .option('--home <dir>', 'validator home directory (required)')
    .option('--moniker <name>', 'name shown to other nodes', 'trucom-node')
    .option('--genesis <path>', "the network's genesis.json, copied to <home>/config/genesis.json")
    .option('--bootstrap <multiaddr...>', 'peers dialed at start, e.g. /ip4/127.0.0.1/tcp/26656/p2p/12D3KooW… (trucom validator show prints a node\'s)')
    .option('--host <ip>', 'address the RPC and libp2p ports listen on, and that other nodes dial', DEFAULT_NODE_CONFIG.p2p.host)
    .option('--p2p-port <port>', 'libp2p port', String(DEFAULT_NODE_CONFIG.p2p.port))
    .option('--rpc-port <port>', 'CometBFT JSON-RPC port', String(DEFAULT_NODE_CONFIG.rpc.port))
    .option('--rest-port <port>', 'also serve the Cosmos REST API on this port')
    .action(async (opts: InitFlags) => {
      const home = homeOption(program, opts, 'the validator home directory');
      const paths = homePaths(home);
      if (existsSync(paths.privValidatorKey)) throw new Error(`${paths.privValidatorKey} already exists; refusing to overwrite a consensus key`);
      // everything is checked before anything is written
      const p2pPort = parsePort(opts.p2pPort ?? String(DEFAULT_NODE_CONFIG.p2p.port), '--p2p-port');
      const rpcPort = parsePort(opts.rpcPort ?? String(DEFAULT_NODE_CONFIG.rpc.port), '--rpc-port');
      const restPort = opts.restPort === undefined ? undefined : parsePort(opts.restPort, '--rest-port');
      const host = opts.host ?? DEFAULT_NODE_CONFIG.p2p.host;
      const bootstrap = opts.bootstrap ?? [];
      const bad = bootstrap.find((a) => !BOOTSTRAP_ADDR.test(a));
      if (bad !== undefined) throw new Error(`--bootstrap ${JSON.stringify(bad)}: expected a libp2p address with a peer id, e.g. /ip4/127.0.0.1/tcp/26656/p2p/12D3KooW…`);
      if (opts.genesis !== undefined) {
        const { readGenesis } = await import('@trucom/app');
        try {
          readGenesis(resolve(opts.genesis));
        } catch (err) {
          throw new Error(`--genesis ${opts.genesis}: ${(err as Error).message}`);
        }
      }

      const key = createPrivValidatorKeyFile(paths.privValidatorKey);
      mkdirSync(join(home, 'config'), { recursive: true });
      if (opts.genesis !== undefined) copyFileSync(resolve(opts.genesis), paths.genesis);
      const config: NodeConfig = {
        ...DEFAULT_NODE_CONFIG,
        moniker: opts.moniker,
        rpc: { host, port: rpcPort },
        rest: restPort === undefined ? null : { host, port: restPort },
        p2p: { host, port: p2pPort },
        bootstrap_peers: bootstrap,
      };
      writeFileSync(paths.config, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
      const peerId = await peerIdOf(paths.nodeKey);
      const out = {
        home,
        address: toUpperHex(key.address),
        pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(key.publicKey) },
        peer_id: peerId,
        p2p_address: nodeMultiaddr(host, p2pPort, peerId),
        genesis: existsSync(paths.genesis) ? paths.genesis : null,
      };
      if (program.opts().output === 'json') return void console.log(JSON.stringify(out));
      const lines = [`validator home ${home}`, `address ${out.address}`, `pub_key ${out.pub_key.value}`, `p2p ${out.p2p_address}`];
      lines.push(out.genesis ? `genesis ${out.genesis}` : `put the network's genesis.json in ${paths.genesis}`);
      console.log(lines.join('\n'));
    });

  validator
    .command('show')
    .description("print a node's consensus address and public key, and the libp2p address others bootstrap from")
    .option('--home <dir>', 'validator home directory (required)')
    .action(async (opts: { home?: string }) => {
      const id = await nodeIdentity(homeOption(program, opts, 'the validator home directory'));
      console.log(program.opts().output === 'json' ? JSON.stringify(id) : formatIdentity(id));
    });

  validator
    .command('start')
    .description('run the validator in this process (e.g. one devnet node: --home .trucom/devnet/v0)')
    .option('--home <dir>', 'validator home directory (required)')
    .action(async (opts: { home?: string }) => {
      const home = homeOption(program, opts, 'the validator home directory');
      // Loaded on use: the node pulls in Nest and Fastify, which other commands do not need.
      const { startValidator } = await import('@trucom/validator');
      const running = await startValidator(home);
      await new Promise<void>((resolve) => {
        const stop = () => void running.stop().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
