import { mkdirSync, readFileSync, watchFile, unwatchFile } from 'node:fs';
import { fromBase64, toHex, accountKeyFromMnemonic } from '@trucom/crypto';
import { ChainNode, CommittedState, openChainDB, parseCoins, SignatureCache, WorkerPoolVerifier, makeValidator } from '@trucom/chain';
import { createTrucomApp, parseTime, readGenesis, type GenesisDoc } from '@trucom/app';
import { BlockSync, loadPrivValidator, SafeSigner, TendermintEngine, TOPICS, TxGossip } from '@trucom/consensus';
import { P2PNode } from '@trucom/p2p';
import { createLogger, createMetricsRegistry, startHttpApp } from '@trucom/nest-common';
import { homePaths, loadNodeConfig, type NodeConfig } from './config.js';
import { instrumentChain, instrumentConsensus } from './metrics.js';
import { JsonRpcDispatcher } from './rpc/json-rpc.js';
import { RpcMethods } from './rpc/rpc-methods.js';
import { RpcModule } from './rpc/rpc.module.js';
import { attachWebSocket } from './rpc/websocket.js';
import { RestModule } from './rest/rest.module.js';
import { Faucet } from './rest/faucet.js';

export interface RunningValidator {
  readonly node: ChainNode;
  readonly config: NodeConfig;
  stop(): Promise<void>;
}

/**
 * A proposal carries its whole block in one gossip message and gossipsub frames stop at 4 MiB, so
 * blocks are capped below that whatever the genesis says (every validator applies the same cap).
 */
const MAX_GOSSIPED_BLOCK_BYTES = 3.5 * 1024 * 1024;

/** RPC bodies carry base64 txs (≤ 1 MiB each) and JSON-RPC batches. */
const RPC_BODY_LIMIT = 8 * 1024 * 1024;

export function genesisState(g: GenesisDoc) {
  return {
    chainId: g.chain_id,
    time: parseTime(g.genesis_time),
    validators: g.validators.map((v) => makeValidator(fromBase64(v.pub_key.value), Number(v.power), v.name)),
    appState: g.app_state as unknown as Record<string, unknown>,
  };
}

/** Starts one validator from its home directory: chain, block production, RPC, REST. */
export async function startValidator(home: string): Promise<RunningValidator> {
  const paths = homePaths(home);
  const config = loadNodeConfig(home);
  const log = createLogger('validator', { moniker: config.moniker });
  const genesisDoc = readGenesis(paths.genesis);
  const signer = loadPrivValidator(paths.privValidatorKey);

  mkdirSync(paths.chainData, { recursive: true });
  const db = await openChainDB(paths.chainData);
  const verifier = new WorkerPoolVerifier();
  const app = createTrucomApp({
    chainId: genesisDoc.chain_id,
    state: await CommittedState.open(db),
    signatures: new SignatureCache(verifier),
    minGasPrice: config.min_gas_price,
  });
  const maxBlockBytes = Math.min(Number(genesisDoc.consensus_params.block.max_bytes), MAX_GOSSIPED_BLOCK_BYTES);
  const node = await ChainNode.open({ db, app, genesis: genesisState(genesisDoc), maxBlockBytes });
  log.info({ height: node.height, chain_id: node.chainId }, 'chain opened');

  const p2p = await P2PNode.start({
    listen: config.p2p,
    keyPath: paths.nodeKey,
    peerBookPath: paths.peerBook,
    bootstrap: [...config.bootstrap_peers],
    topics: Object.values(TOPICS),
    // a lost tx copy only delays it (whoever holds it proposes it); consensus messages always relay
    sparseRelayTopics: [TOPICS.txs],
    maxMessageBytes: maxBlockBytes + 64 * 1024,
    logger: log.child({ component: 'p2p' }),
  });
  const stopTestPartition = applyTestPartition(p2p);
  const safeSigner = SafeSigner.open(signer, paths.privValidatorState);
  const engine = new TendermintEngine({
    node,
    signer: safeSigner,
    network: p2p,
    walPath: paths.wal,
    log: log.child({ component: 'consensus' }),
    blockTimeMs: config.block_time_ms,
    doubleSignWith: process.env.TRUCOM_TEST_DOUBLE_SIGN === '1' ? signer : undefined,
  });
  const sync = new BlockSync({ node, network: p2p, log: log.child({ component: 'blocksync' }), commit: (b, c) => engine.commitSynced(b, c), live: () => engine.live });
  const txGossip = new TxGossip(node, p2p);
  const registry = createMetricsRegistry('validator');
  instrumentChain(node, registry);
  instrumentConsensus(engine, p2p, registry);

  const identity = {
    id: toHex(signer.address),
    moniker: config.moniker,
    listenAddr: p2p.listenAddrs[0] ?? `/ip4/${config.p2p.host}/tcp/${config.p2p.port}`,
    rpcAddress: `tcp://${config.rpc.host}:${config.rpc.port}`,
    validatorAddress: signer.address,
    validatorPublicKey: signer.publicKey,
    catchingUp: () => sync.catchingUp,
    peers: () => {
      const book = new Map(p2p.knownPeers().map((k) => [k.peerId, k.addrs]));
      return p2p.connectedPeers().map((p) => ({ id: p.peerId, address: p.addr, listenAddr: listenAddrOf(p.peerId, p.addr, book.get(p.peerId)), outbound: p.direction === 'outbound' }));
    },
  };
  const dispatcher = new JsonRpcDispatcher(new RpcMethods(node, identity, genesisDoc), log);
  const rpcApp = await startHttpApp(RpcModule.forRoot(dispatcher, registry), { ...config.rpc, logger: log, bodyLimit: RPC_BODY_LIMIT, rawBody: true });
  const stopWebSocket = attachWebSocket(rpcApp.getHttpServer(), node, dispatcher, log);

  const faucet = config.faucet
    ? new Faucet(node, await accountKeyFromMnemonic(config.faucet.mnemonic), { amount: parseCoins(config.faucet.amount), fee: parseCoins('5000utru'), gasLimit: 200_000n, waitMs: 15_000 })
    : null;
  const restApp = config.rest ? await startHttpApp(RestModule.forRoot(node, faucet, registry), { ...config.rest, logger: log }) : undefined;

  if (process.env.TRUCOM_ASSERT_INVARIANTS === '1') assertInvariantsEveryBlock(node, log);
  engine.start();
  sync.start();
  txGossip.start();
  log.info({ rpc: config.rpc.port, rest: config.rest?.port ?? null, p2p: p2p.listenAddrs, peer_id: p2p.peerId }, 'validator started');

  return {
    node,
    config,
    async stop() {
      stopTestPartition();
      txGossip.stop();
      await sync.stop();
      await engine.stop();
      await p2p.stop();
      stopWebSocket();
      await restApp?.close();
      await rpcApp.close();
      await verifier.close();
      await db.close();
      log.info('validator stopped');
    },
  };
}

/**
 * Where a connected peer listens, for net_info's listen_addr (`<multiaddr>/p2p/<id>`, as in
 * bootstrap_peers): of the listen addrs it reported in identify (kept in the peer book), the one on
 * the IP the connection comes from, else the first; without any, the connection's remote address
 * (right for an outbound connection; for an inbound one it is the peer's outgoing port).
 */
function listenAddrOf(peerId: string, remoteAddr: string, advertised: readonly string[] | undefined): string {
  if (!advertised || advertised.length === 0) return remoteAddr;
  const ipOf = (a: string) => /^\/(?:ip4|ip6)\/([^/]+)/.exec(a)?.[1];
  const best = advertised.find((a) => ipOf(a) !== undefined && ipOf(a) === ipOf(remoteAddr)) ?? advertised[0]!;
  return best.includes('/p2p/') ? best : `${best}/p2p/${peerId}`;
}

/**
 * Test and debug mode (TRUCOM_ASSERT_INVARIANTS=1): checks every module invariant (e.g. supply =
 * sum of balances) after each block and stops the node at once if one breaks. Reads all state, so
 * it is off in normal operation.
 */
function assertInvariantsEveryBlock(node: ChainNode, log: ReturnType<typeof createLogger>): void {
  // Awaited by commitBlock, so the state checked is exactly this block's.
  node.onBlock(async (b) => {
    const broken = await node.app.brokenInvariants();
    if (broken.length === 0) return;
    log.fatal({ height: Number(b.block.header!.height), broken }, 'invariant broken');
    process.exit(70);
  });
}

/**
 * Tests only (TRUCOM_TEST_DENY_PEERS_FILE): a JSON array of peer ids this node refuses to talk to,
 * re-read whenever the file changes, so a test can partition and heal real processes.
 */
function applyTestPartition(p2p: P2PNode): () => void {
  const file = process.env.TRUCOM_TEST_DENY_PEERS_FILE;
  if (!file) return () => undefined;
  const load = () => {
    let denied: string[] = [];
    try {
      denied = JSON.parse(readFileSync(file, 'utf8')) as string[];
    } catch {
      // no file (yet) or a half-written one: nothing denied
    }
    const set = new Set(denied);
    p2p.setDenyPeer(set.size > 0 ? (id) => set.has(id) : undefined);
  };
  load();
  watchFile(file, { interval: 100 }, load);
  return () => unwatchFile(file, load);
}
