import { sha256, toBase64, toUpperHex } from '@trucom/crypto';
import { QueryParseError, type ChainNode, type CommittedBlock } from '@trucom/chain';
import { RpcError } from './rpc-error.js';
import { hexBytes, optionalInt, requireBytes, requireString, type Params } from './params.js';
import { blockIdJson, blockJson, commitJson, eventsJson, headerJson, pubKeyJson, rfc3339, txResultJson, validatorJson } from './cometbft-json.js';

/** What a node says about itself in `status` and `net_info`. */
export interface NodeIdentity {
  readonly id: string; // 40 hex chars
  readonly moniker: string;
  readonly listenAddr: string;
  readonly rpcAddress: string;
  readonly validatorAddress: Uint8Array;
  readonly validatorPublicKey: Uint8Array;
  /**
   * Connected peers: libp2p peer id, the connection's remote multiaddr, who dialed, and the address
   * the peer listens on (what it reported in identify; for an inbound connection the remote address
   * is only the peer's outgoing port).
   */
  readonly peers: () => { id: string; address: string; listenAddr?: string; outbound: boolean }[];
  /** True while block sync is fetching blocks a peer has and this node has not. */
  readonly catchingUp?: () => boolean;
}

/** The CometBFT version whose JSON shapes we serve; cosmjs picks its 0.38 client from it. */
export const COMETBFT_VERSION = '0.38.17';
const BROADCAST_COMMIT_TIMEOUT_MS = 10_000;
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

type Method = (params: Params) => Promise<unknown> | unknown;

/** The CometBFT RPC methods, over a ChainNode. Transport (HTTP, URI, WebSocket) is elsewhere. */
export class RpcMethods {
  readonly methods: Record<string, Method>;
  /** Positional parameter names, for JSON-RPC requests that send params as an array. */
  static readonly positional: Record<string, string[]> = {
    abci_query: ['path', 'data', 'height', 'prove'],
    block: ['height'],
    block_by_hash: ['hash'],
    block_results: ['height'],
    blockchain: ['minHeight', 'maxHeight'],
    commit: ['height'],
    validators: ['height', 'page', 'per_page'],
    tx: ['hash', 'prove'],
    tx_search: ['query', 'prove', 'page', 'per_page', 'order_by'],
    broadcast_tx_sync: ['tx'],
    broadcast_tx_async: ['tx'],
    broadcast_tx_commit: ['tx'],
    unconfirmed_txs: ['limit'],
  };

  constructor(
    private readonly node: ChainNode,
    private readonly identity: NodeIdentity,
    private readonly genesisDoc: unknown,
  ) {
    this.methods = {
      health: () => ({}),
      status: () => this.status(),
      net_info: () => this.netInfo(),
      abci_info: () => this.abciInfo(),
      abci_query: (p) => this.abciQuery(p),
      genesis: () => ({ genesis: this.genesisDoc }),
      block: (p) => this.block(p),
      block_by_hash: (p) => this.blockByHash(p),
      block_results: (p) => this.blockResults(p),
      blockchain: (p) => this.blockchain(p),
      commit: (p) => this.commit(p),
      validators: (p) => this.validators(p),
      tx: (p) => this.tx(p),
      tx_search: (p) => this.txSearch(p),
      broadcast_tx_sync: (p) => this.broadcastSync(p),
      broadcast_tx_async: (p) => this.broadcastAsync(p),
      broadcast_tx_commit: (p) => this.broadcastCommit(p),
      num_unconfirmed_txs: () => this.unconfirmed(0),
      unconfirmed_txs: (p) => this.unconfirmed(optionalInt(p, 'limit') ?? 30),
    };
  }

  private status() {
    const latest = this.node.latestBlock;
    const appHash = this.node.app.info().appHash;
    const earliest = latest ? 1 : 0;
    const validator = this.node.validators.find((v) => Buffer.compare(v.address, this.identity.validatorAddress) === 0);
    return {
      node_info: {
        protocol_version: { p2p: '8', block: '11', app: '0' },
        id: this.identity.id,
        listen_addr: this.identity.listenAddr,
        network: this.node.chainId,
        version: COMETBFT_VERSION,
        channels: '40202122233038606100',
        moniker: this.identity.moniker,
        other: { tx_index: 'on', rpc_address: this.identity.rpcAddress },
      },
      sync_info: {
        latest_block_hash: latest ? toUpperHex(latest.blockId.hash) : toUpperHex(new Uint8Array(32)),
        latest_app_hash: toUpperHex(appHash),
        latest_block_height: String(this.node.height),
        latest_block_time: rfc3339(latest?.block.header?.time ?? this.node.genesis.time),
        earliest_block_hash: '',
        earliest_app_hash: '',
        earliest_block_height: String(earliest),
        earliest_block_time: rfc3339(latest ? undefined : this.node.genesis.time),
        catching_up: this.identity.catchingUp?.() ?? false,
      },
      validator_info: {
        address: toUpperHex(this.identity.validatorAddress),
        pub_key: pubKeyJson(this.identity.validatorPublicKey),
        voting_power: String(validator?.votingPower ?? 0),
      },
    };
  }

  private netInfo() {
    const peers = this.identity.peers();
    return {
      listening: true,
      listeners: [this.identity.listenAddr],
      n_peers: String(peers.length),
      // as CometBFT: node_info.listen_addr is where the peer listens, remote_ip the connection's IP
      peers: peers.map((p) => ({
        node_info: { id: p.id, listen_addr: p.listenAddr ?? p.address, network: this.node.chainId, moniker: '' },
        is_outbound: p.outbound,
        remote_ip: /^\/(?:ip4|ip6|dns4|dns6|dns)\/([^/]+)/.exec(p.address)?.[1] ?? p.address,
      })),
    };
  }

  private abciInfo() {
    const info = this.node.app.info();
    return { response: { data: 'trucom', version: '0.1.0', app_version: '0', last_block_height: String(info.height), last_block_app_hash: toBase64(info.appHash) } };
  }

  private async abciQuery(p: Params) {
    const path = requireString(p, 'path');
    const height = optionalInt(p, 'height');
    if (height !== undefined && height !== 0 && height !== this.node.height) {
      throw RpcError.invalidParams(`queries at past heights are not supported; latest height is ${this.node.height}`);
    }
    const r = await this.node.app.query(path, hexBytes(p, 'data'), this.node.nextBlockInfo());
    return {
      response: { code: r.code, log: r.log, info: '', index: '0', key: null, value: toBase64(r.value), proofOps: null, height: String(r.height), codespace: r.codespace },
    };
  }

  private height(p: Params, name = 'height'): number {
    const latest = this.node.height;
    const h = optionalInt(p, name) ?? latest;
    if (h === 0 && latest === 0) throw RpcError.internal('no blocks yet');
    if (h < 1 || h > latest) throw RpcError.internal(`height ${h} must be less than or equal to the current blockchain height ${latest}`);
    return h;
  }

  private async stored(height: number, withTxResults = false): Promise<CommittedBlock> {
    const stored = await this.node.storedBlock(height, { withTxResults });
    if (!stored) throw RpcError.internal(`block ${height} is not stored`);
    return stored;
  }

  private async block(p: Params) {
    const b = await this.stored(this.height(p));
    return { block_id: blockIdJson(b.blockId), block: blockJson(b.block) };
  }

  private async blockByHash(p: Params) {
    const height = await this.node.blocks.heightOfHash(requireBytes(p, 'hash'));
    if (height === undefined) return { block_id: blockIdJson(null), block: null };
    return this.block({ height });
  }

  private async blockResults(p: Params) {
    const height = this.height(p);
    const { results } = await this.stored(height, true);
    return {
      height: String(height),
      txs_results: (results.txResults ?? []).map(txResultJson),
      finalize_block_events: eventsJson(results.finalizeBlockEvents),
      validator_updates: [],
      consensus_param_updates: null,
      app_hash: toBase64(results.appHash),
    };
  }

  private async blockchain(p: Params) {
    const latest = this.node.height;
    const max = Math.min(optionalInt(p, 'maxHeight') || latest, latest);
    const min = Math.max(optionalInt(p, 'minHeight') || 1, max - 19, 1);
    if (min > max) throw RpcError.internal(`min height ${min} can't be greater than max height ${max}`);
    const metas = [];
    for (let h = max; h >= min; h--) {
      const b = await this.stored(h);
      metas.push({ block_id: blockIdJson(b.blockId), block_size: String(b.block.data?.txs?.reduce((n, t) => n + t.length, 0) ?? 0), header: headerJson(b.block.header!), num_txs: String(b.block.data?.txs?.length ?? 0) });
    }
    return { last_height: String(latest), block_metas: metas };
  }

  private async commit(p: Params) {
    const b = await this.stored(this.height(p));
    return { signed_header: { header: headerJson(b.block.header!), commit: commitJson(b.commit) }, canonical: true };
  }

  private validators(p: Params) {
    // like CometBFT: a height outside [1, latest] is an error, a per_page below 1 means the default
    const height = this.height(p);
    const page = optionalInt(p, 'page') ?? 1;
    const requested = optionalInt(p, 'per_page');
    const perPage = requested === undefined || requested < 1 ? DEFAULT_PER_PAGE : Math.min(requested, MAX_PER_PAGE);
    const all = this.node.validatorsAt(height);
    const pages = Math.max(1, Math.ceil(all.length / perPage));
    if (page < 1 || page > pages) throw RpcError.internal(`page should be within [1, ${pages}] range, given ${page}`);
    return {
      block_height: String(height),
      validators: all.slice((page - 1) * perPage, page * perPage).map(validatorJson),
      count: String(Math.min(perPage, all.length - (page - 1) * perPage)),
      total: String(all.length),
    };
  }

  private async tx(p: Params) {
    const hash = requireBytes(p, 'hash');
    const record = await this.node.txIndex.get(hash);
    if (!record) throw RpcError.internal(`tx (${toUpperHex(hash)}) not found`);
    return txRecordJson(record, toUpperHex(hash));
  }

  private async txSearch(p: Params) {
    const query = requireString(p, 'query');
    const perPage = Math.min(Math.max(optionalInt(p, 'per_page') ?? DEFAULT_PER_PAGE, 1), MAX_PER_PAGE);
    const page = optionalInt(p, 'page') ?? 1;
    const orderBy = typeof p.order_by === 'string' ? p.order_by : 'asc';
    if (orderBy !== 'asc' && orderBy !== 'desc' && orderBy !== '') throw RpcError.invalidParams('order_by must be "asc" or "desc"');
    let found;
    try {
      found = await this.node.txIndex.search(query, { page: Math.max(page, 1), perPage, desc: orderBy === 'desc' });
    } catch (err) {
      if (err instanceof QueryParseError) throw RpcError.invalidParams(`invalid query: ${err.message}`);
      throw err;
    }
    const pages = Math.max(1, Math.ceil(found.total / perPage));
    if (page < 1 || page > pages) throw RpcError.internal(`page should be within [1, ${pages}] range, given ${page}`);
    return { txs: found.records.map((r) => txRecordJson(r)), total_count: String(found.total) };
  }

  private async broadcastSync(p: Params) {
    const r = await this.node.submitTx(requireBytes(p, 'tx'));
    return { code: r.code, data: '', log: r.log, codespace: r.codespace, hash: r.hashHex };
  }

  /** Answers at once with the tx hash, as CometBFT does; CheckTx runs afterwards and is not reported. */
  private broadcastAsync(p: Params) {
    const raw = requireBytes(p, 'tx');
    void this.node.submitTx(raw).catch(() => undefined);
    return { code: 0, data: '', log: '', codespace: '', hash: toUpperHex(sha256(raw)) };
  }

  private async broadcastCommit(p: Params) {
    const raw = requireBytes(p, 'tx');
    let stop = () => {};
    const included = new Promise<CommittedBlock>((resolve) => {
      stop = this.node.onBlock((b) => {
        if (b.txHashes.includes(checked.hashHex)) resolve(b);
      });
    });
    const checked = await this.node.submitTx(raw);
    const checkTx = { code: checked.code, data: '', log: checked.log, info: '', gas_wanted: String(checked.gasWanted), gas_used: String(checked.gasUsed), events: [], codespace: checked.codespace };
    if (checked.code !== 0) {
      stop();
      return { check_tx: checkTx, tx_result: txResultJson(null), hash: checked.hashHex, height: '0' };
    }
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(RpcError.internal('timed out waiting for tx to be included in a block')), BROADCAST_COMMIT_TIMEOUT_MS).unref());
    try {
      const block = await Promise.race([included, timeout]);
      const index = block.txHashes.indexOf(checked.hashHex);
      return { check_tx: checkTx, tx_result: txResultJson(block.results.txResults[index]), hash: checked.hashHex, height: String(block.block.header!.height) };
    } finally {
      stop();
    }
  }

  private unconfirmed(limit: number) {
    const txs = this.node.mempool.reap(Number.MAX_SAFE_INTEGER, -1);
    return { n_txs: String(txs.length), total: String(this.node.mempool.size), total_bytes: String(this.node.mempool.totalBytes), txs: limit ? txs.slice(0, limit).map(toBase64) : null };
  }
}

function txRecordJson(r: { height: number; index: number; tx: Uint8Array; result?: unknown }, hash?: string) {
  return {
    hash: hash ?? toUpperHex(sha256(r.tx)),
    height: String(r.height),
    index: r.index,
    tx_result: txResultJson(r.result as never),
    tx: toBase64(r.tx),
  };
}
