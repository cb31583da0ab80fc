import { createHash } from 'node:crypto';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { gossipsub, TopicValidatorResult, type GossipSub, type GossipsubMessage } from '@libp2p/gossipsub';
import { identify, type Identify } from '@libp2p/identify';
import type { IdentifyResult, Libp2p, PeerId } from '@libp2p/interface';
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { dialAddr, isPeerIdString, parseAddr, splitPeerAddr, withoutPeerId } from './addrs.js';
import { loadOrCreateIdentity } from './identity.js';
import { errorMessage, silentLogger, type P2PLogger } from './logger.js';
import { PeerBook } from './peer-book.js';
import { PeerScores, type PeerScoreOptions } from './peer-scores.js';
import { decodePexResponse, encodePexResponse, PEX_PROTOCOL, PexDecodeError, type PexPeer } from './pex.js';
import { mustForward, unwrapReached, wrapReached } from './reached-peers.js';
import { Reconnector } from './reconnector.js';
import { ProtocolViolationError, sendRequest, serveRequest } from './request-response.js';

export interface P2PConfig {
  /** TCP listen address, e.g. { host: '127.0.0.1', port: 26656 }; port 0 picks a free port. */
  listen: { host: string; port: number };
  /** Extra multiaddrs to announce (e.g. a public address behind NAT). */
  announce?: string[];
  /** Node identity: an Ed25519 libp2p private key, created here on first start (mode 0600). */
  keyPath: string;
  /** Persisted peer book (JSON: peerId -> { addrs, lastSeen }), written atomically. */
  peerBookPath: string;
  /** Multiaddrs ending in /p2p/<peerId>. */
  bootstrap: string[];
  /** Gossipsub topics to subscribe to at start (onMessage subscribes to further topics on demand). */
  topics: string[];
  /** Cap for gossip payloads and request/response frames; bigger ones are dropped and the sender penalized. */
  maxMessageBytes: number;
  /** Called to decide whether a peer may connect at all (tests use it to simulate partitions). */
  denyPeer?: (peerId: string) => boolean;
  logger?: P2PLogger;
  /** First redial delay for a disconnected peer (doubles per failure). Default 2000. */
  reconnectIntervalMs?: number;
  /** Redial delay cap. Default 30000. */
  maxReconnectBackoffMs?: number;
  /** Peer exchange (ask and answer `/trucom/pex/1.0.0`). Default true; false keeps the node to bootstrap + book + whoever dials it. */
  pex?: boolean;
  /** How often connected peers are asked for their peers. Default 10000. */
  pexIntervalMs?: number;
  /** Default timeout of request(), and the deadline for serving one inbound request. Default 10000. */
  requestTimeoutMs?: number;
  /** Gossipsub heartbeat. Default 500. */
  gossipHeartbeatMs?: number;
  /** How long a gossip payload (by sha256) is remembered; identical bytes republished sooner are not re-delivered. Default 30000. */
  gossipSeenTtlMs?: number;
  /** Application scoring: ban threshold, ban window, decay. */
  scoring?: PeerScoreOptions;
  /**
   * Topics whose messages carry the peers their publisher sent them to (see reached-peers.ts): a
   * receiver forwards one only when it has a topic peer the publisher did not reach. For traffic
   * where a lost copy costs latency, not safety (txs: whoever holds one proposes it).
   */
  sparseRelayTopics?: readonly string[];
}

export interface ConnectedPeer {
  peerId: string;
  addr: string;
  direction: 'inbound' | 'outbound';
}

export interface KnownPeer {
  peerId: string;
  addrs: string[];
  lastSeen: number;
}

export type MessageHandler = (data: Uint8Array, from: string) => void;

type Services = { identify: Identify; pubsub: GossipSub };

/** Penalty points for the misbehaviours this library detects itself. */
export const PENALTY = {
  oversizedGossip: 25,
  oversizedFrame: 25,
  malformedPex: 20,
  invalidPexEntry: 5,
  handlerError: 5,
  invalidContent: 10,
  default: 10,
} as const;

const PEX_TIMEOUT_MS = 5_000;
const DIAL_TIMEOUT_MS = 5_000;

/** A libp2p host for the validator network: gossip, request/response, peer book, peer exchange, scoring. */
export class P2PNode {
  readonly peerId: string;
  private libp2p!: Libp2p<Services>;
  private readonly log: P2PLogger;
  private readonly scores: PeerScores;
  private readonly reconnector: Reconnector;
  private readonly bootstrap = new Map<string, string[]>();
  private readonly handlers = new Map<string, Set<MessageHandler>>();
  private readonly pexInFlight = new Set<string>();
  private denyFn: ((peerId: string) => boolean) | undefined;
  private pexTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    private readonly config: P2PConfig,
    self: PeerId,
    private readonly book: PeerBook,
  ) {
    this.peerId = self.toString();
    this.log = config.logger ?? silentLogger;
    this.denyFn = config.denyPeer;
    this.scores = new PeerScores(config.scoring);
    this.sparseRelay = new Set(config.sparseRelayTopics ?? []);
    for (const entry of config.bootstrap) {
      const { peerId, addr } = splitPeerAddr(entry);
      if (peerId === this.peerId) continue;
      this.bootstrap.set(peerId, [...(this.bootstrap.get(peerId) ?? []), addr]);
    }
    const base = config.reconnectIntervalMs ?? 2_000;
    this.reconnector = new Reconnector(
      {
        targets: () => this.dialTargets(),
        isConnected: (id) => this.isConnected(id),
        isDenied: (id) => this.isDenied(id),
        dial: (id, addrs) => this.dial(id, addrs),
        log: this.log,
      },
      { baseMs: base, maxMs: Math.max(base, config.maxReconnectBackoffMs ?? 30_000) },
    );
  }

  static async start(config: P2PConfig): Promise<P2PNode> {
    if (!(config.maxMessageBytes > 0)) throw new RangeError('maxMessageBytes must be positive');
    const log = config.logger ?? silentLogger;
    const privateKey = await loadOrCreateIdentity(config.keyPath);
    const book = await PeerBook.load(config.peerBookPath, log);
    const node = new P2PNode(config, peerIdFromPrivateKey(privateKey), book);
    book.remove(node.peerId);
    node.libp2p = await createLibp2p<Services>({
      start: false,
      privateKey,
      addresses: { listen: [listenAddr(config.listen)], announce: config.announce ?? [] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: {
        denyDialPeer: (p) => node.isDenied(p.toString()),
        denyOutboundConnection: (p) => node.isDenied(p.toString()),
        denyInboundEncryptedConnection: (p) => node.isDenied(p.toString()),
        denyOutboundEncryptedConnection: (p) => node.isDenied(p.toString()),
      },
      connectionManager: { dialTimeout: DIAL_TIMEOUT_MS, inboundConnectionThreshold: 20, maxConnections: 200 },
      services: {
        identify: identify(),
        pubsub: gossipsub({
          globalSignaturePolicy: 'StrictNoSign',
          msgIdFn: (msg) => createHash('sha256').update(msg.data).digest(),
          allowPublishToZeroTopicPeers: true,
          ignoreDuplicatePublishError: true,
          floodPublish: true,
          emitSelf: false,
          doPX: false,
          // small validator networks (4-10 peers): a mesh of ~4 with fast heartbeats
          D: 4,
          Dlo: 2,
          Dhi: 8,
          Dout: 1,
          Dscore: 2,
          Dlazy: 4,
          heartbeatInterval: config.gossipHeartbeatMs ?? 500,
          seenTTL: config.gossipSeenTtlMs ?? 30_000,
          // frames carry a whole RPC (possibly several messages); per-message size is checked by the topic validators
          maxInboundDataLength: config.maxMessageBytes * 2 + 64 * 1024,
        }),
      },
    });
    try {
      await node.wire();
    } catch (err) {
      // e.g. the listen port is taken: release whatever was started
      await node.stop().catch(() => undefined);
      throw err;
    }
    return node;
  }

  private async wire(): Promise<void> {
    const lib = this.libp2p;
    lib.addEventListener('peer:identify', (evt) => this.onIdentify(evt.detail));
    lib.addEventListener('peer:disconnect', (evt) => this.book.touch(evt.detail.toString()));
    lib.services.pubsub.addEventListener('gossipsub:message', (evt) => this.dispatch(evt.detail));
    if (this.pexEnabled) {
      await lib.handle(PEX_PROTOCOL, (stream, connection) =>
        serveRequest(stream, connection, async (_req, from) => encodePexResponse(this.pexSnapshot(from)), this.serveOptions()),
      );
    }
    await lib.start();
    for (const topic of this.config.topics) this.ensureTopic(topic);
    this.reconnector.start();
    if (this.pexEnabled) {
      this.pexTimer = setInterval(() => {
        for (const p of this.connectedPeers()) void this.exchangePeers(p.peerId);
      }, this.config.pexIntervalMs ?? 10_000);
      this.pexTimer.unref();
    }
    this.log.info({ peerId: this.peerId, listen: this.listenAddrs, known: this.book.size }, 'p2p: started');
  }

  /** Full listen multiaddrs including /p2p/<peerId>. */
  get listenAddrs(): string[] {
    return this.libp2p.getMultiaddrs().map((ma) => `${withoutPeerId(ma)}/p2p/${this.peerId}`);
  }

  /** Fire-and-forget gossip. Oversized payloads are dropped with a warning; never throws for "no peers". */
  publish(topic: string, payload: Uint8Array): void {
    if (this.stopped) return;
    const pubsub = this.libp2p.services.pubsub;
    const data = this.sparseRelay.has(topic) ? wrapReached([this.peerId, ...pubsub.getSubscribers(topic).map(String)], payload) : payload;
    if (data.byteLength > this.config.maxMessageBytes) {
      this.log.warn({ topic, bytes: data.byteLength, max: this.config.maxMessageBytes }, 'p2p: not publishing oversized message');
      return;
    }
    pubsub.publish(topic, data).catch((err: unknown) => {
      this.log.debug({ topic, err: errorMessage(err) }, 'p2p: publish failed');
    });
  }

  /** Subscribes (if not yet) and calls `handler` for every valid message on `topic`. Returns an unsubscribe function. */
  onMessage(topic: string, handler: MessageHandler): () => void {
    this.ensureTopic(topic);
    let set = this.handlers.get(topic);
    if (set === undefined) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  /**
   * Serves `protocol`: one length-prefixed request in, one length-prefixed response out per stream. A handler that
   * throws is reported to the requester as a RemoteError (and costs the requester a small penalty); return an
   * application-level error payload for expected conditions. Registering a protocol again replaces the handler.
   */
  handle(protocol: string, handler: (request: Uint8Array, from: string) => Promise<Uint8Array>): void {
    this.libp2p
      .handle(protocol, (stream, connection) => serveRequest(stream, connection, handler, this.serveOptions()), {
        force: true,
        maxInboundStreams: 64,
      })
      .catch((err: unknown) => this.log.warn({ protocol, err: errorMessage(err) }, 'p2p: cannot register handler'));
  }

  /**
   * Sends one request and resolves with the response. Rejects with RemoteError (the handler failed),
   * RequestTimeoutError, ProtocolViolationError (bad frames; the peer is penalized) or a dial/stream error.
   */
  async request(peerId: string, protocol: string, request: Uint8Array, opts: { timeoutMs?: number } = {}): Promise<Uint8Array> {
    if (this.stopped) throw new Error('p2p node is stopped');
    if (!isPeerIdString(peerId)) throw new TypeError(`invalid peer id: ${peerId}`);
    if (this.isDenied(peerId)) throw new Error(`peer ${peerId} is denied`);
    const target = peerIdFromString(peerId);
    const open = (signal: AbortSignal) => {
      const addrs = this.dialTargets().get(peerId);
      const via = this.isConnected(peerId) || addrs === undefined ? target : addrs.map((a) => dialAddr(a, peerId));
      return this.libp2p.dialProtocol(via, protocol, { signal });
    };
    try {
      return await sendRequest(open, request, { maxBytes: this.config.maxMessageBytes, timeoutMs: opts.timeoutMs ?? this.config.requestTimeoutMs ?? 10_000 });
    } catch (err) {
      if (err instanceof ProtocolViolationError) this.penalize(peerId, `${protocol}: ${err.message}`, PENALTY.oversizedFrame);
      throw err;
    }
  }

  /** Open connections, one per peer (for net_info). */
  connectedPeers(): ConnectedPeer[] {
    const seen = new Map<string, ConnectedPeer>();
    for (const conn of this.libp2p.getConnections()) {
      if (conn.status !== 'open') continue;
      const peerId = conn.remotePeer.toString();
      if (!seen.has(peerId)) seen.set(peerId, { peerId, addr: conn.remoteAddr.toString(), direction: conn.direction });
    }
    return [...seen.values()];
  }

  /** The peer book: every peer that identified to us or that peer exchange told us about. */
  knownPeers(): KnownPeer[] {
    return this.book.entries().map(([peerId, e]) => ({ peerId, addrs: e.addrs, lastSeen: e.lastSeen }));
  }

  /** Current (decaying) penalty points of a peer. */
  peerScore(peerId: string): number {
    return this.scores.score(peerId);
  }

  isBanned(peerId: string): boolean {
    return this.scores.isBanned(peerId);
  }

  /** Application scoring: past the ban threshold the peer is disconnected and refused for the ban window. */
  penalize(peerId: string, reason: string, points: number = PENALTY.default): void {
    if (peerId === this.peerId || !isPeerIdString(peerId)) return;
    const { score, banned } = this.scores.penalize(peerId, points);
    this.log.warn({ peer: peerId, reason, points, score }, 'p2p: peer penalized');
    if (banned) {
      this.log.warn({ peer: peerId, banMs: this.scores.banMs }, 'p2p: peer banned');
      this.hangUp(peerId);
    }
  }

  /** Changes the partition rules; open connections to peers now denied are closed. */
  setDenyPeer(fn?: (peerId: string) => boolean): void {
    this.denyFn = fn;
    for (const p of this.connectedPeers()) if (this.isDenied(p.peerId)) this.hangUp(p.peerId);
    this.reconnector.reset();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.pexTimer);
    this.reconnector.stop();
    this.handlers.clear();
    try {
      await this.libp2p.stop();
    } finally {
      await this.book.flush();
    }
    this.log.info({ peerId: this.peerId }, 'p2p: stopped');
  }

  // --- internals ---

  private isDenied(peerId: string): boolean {
    if (this.scores.isBanned(peerId)) return true;
    if (this.denyFn === undefined) return false;
    try {
      return this.denyFn(peerId);
    } catch (err) {
      this.log.warn({ peer: peerId, err: errorMessage(err) }, 'p2p: denyPeer threw; denying');
      return true;
    }
  }

  private isConnected(peerId: string): boolean {
    return this.libp2p.getConnections(peerIdFromString(peerId)).some((c) => c.status === 'open');
  }

  private hangUp(peerId: string): void {
    this.libp2p.hangUp(peerIdFromString(peerId)).catch((err: unknown) => this.log.debug({ peer: peerId, err: errorMessage(err) }, 'p2p: hang up failed'));
  }

  private async dial(peerId: string, addrs: string[]): Promise<void> {
    if (this.stopped) return;
    await this.libp2p.dial(
      addrs.map((a) => dialAddr(a, peerId)),
      { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) },
    );
  }

  private dialTargets(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [id, e] of this.book.entries()) out.set(id, e.addrs);
    for (const [id, addrs] of this.bootstrap) out.set(id, [...new Set([...(out.get(id) ?? []), ...addrs])]);
    out.delete(this.peerId);
    return out;
  }

  private serveOptions() {
    return {
      maxBytes: this.config.maxMessageBytes,
      timeoutMs: this.config.requestTimeoutMs ?? 10_000,
      onViolation: (peer: string, reason: string) => this.penalize(peer, reason, PENALTY.oversizedFrame),
      onHandlerError: (peer: string, err: unknown) => {
        this.log.warn({ peer, err: errorMessage(err) }, 'p2p: request handler failed');
        this.penalize(peer, 'request handler failed', PENALTY.handlerError);
      },
    };
  }

  /**
   * Content check run before a gossip message is delivered or forwarded: a message it finds a
   * problem with (the returned string) is neither, so honest peers never relay garbage, and the
   * peer that sent it is scored down.
   */
  validateTopic(topic: string, check: (data: Uint8Array) => string | undefined): void {
    this.contentChecks.set(topic, check);
  }

  private readonly contentChecks = new Map<string, (data: Uint8Array) => string | undefined>();
  private readonly sparseRelay: ReadonlySet<string>;
  /** Messages on sparse-relay topics: delivered here only (every topic peer had them first-hand) or forwarded. */
  readonly gossipStats = { delivered: 0, forwarded: 0 };

  private ensureTopic(topic: string): void {
    const pubsub = this.libp2p.services.pubsub;
    if (pubsub.topicValidators.has(topic)) return;
    pubsub.topicValidators.set(topic, (peer, msg) => {
      const from = peer.toString();
      if (msg.data.byteLength > this.config.maxMessageBytes) {
        this.penalize(from, `oversized gossip on ${topic} (${msg.data.byteLength} > ${this.config.maxMessageBytes})`, PENALTY.oversizedGossip);
        return TopicValidatorResult.Reject;
      }
      if (this.isDenied(from)) return TopicValidatorResult.Ignore;
      const sparse = this.sparseRelay.has(topic);
      const reached = sparse ? unwrapReached(msg.data) : undefined;
      const payload = reached?.payload ?? msg.data;
      const problem = sparse && !reached ? 'malformed reached-peers envelope' : this.contentProblem(topic, payload);
      if (problem !== undefined) {
        this.penalize(from, `invalid message on ${topic}: ${problem}`, PENALTY.invalidContent);
        return TopicValidatorResult.Reject;
      }
      if (!reached) return TopicValidatorResult.Accept;
      if (mustForward(reached, pubsub.getSubscribers(topic).map(String), from)) {
        this.gossipStats.forwarded++;
        return TopicValidatorResult.Accept;
      }
      this.gossipStats.delivered++;
      this.deliver(topic, payload, from);
      return TopicValidatorResult.Ignore; // delivered here, not forwarded, sender not blamed
    });
    pubsub.subscribe(topic);
  }

  private contentProblem(topic: string, payload: Uint8Array): string | undefined {
    try {
      return this.contentChecks.get(topic)?.(payload);
    } catch (err) {
      return `cannot decode (${errorMessage(err)})`;
    }
  }

  private dispatch({ msg, propagationSource }: GossipsubMessage): void {
    const data = this.sparseRelay.has(msg.topic) ? unwrapReached(msg.data)?.payload : msg.data;
    if (data) this.deliver(msg.topic, data, propagationSource.toString());
  }

  private deliver(topic: string, data: Uint8Array, from: string): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        const r = handler(data, from) as unknown;
        if (r instanceof Promise) r.catch((err: unknown) => this.log.warn({ topic, err: errorMessage(err) }, 'p2p: message handler failed'));
      } catch (err) {
        this.log.warn({ topic, err: errorMessage(err) }, 'p2p: message handler failed');
      }
    }
  }

  private onIdentify(result: IdentifyResult): void {
    const peerId = result.peerId.toString();
    if (peerId === this.peerId || this.stopped) return;
    const addrs = result.listenAddrs.flatMap((ma) => {
      const parsed = parseAddr(ma.toString());
      return parsed === undefined ? [] : [withoutPeerId(parsed)];
    });
    if (this.book.observe(peerId, addrs)) {
      this.log.info({ peer: peerId, addrs }, 'p2p: peer addresses updated');
      this.reconnector.reset(peerId);
    }
    if (this.pexEnabled) void this.exchangePeers(peerId);
  }

  private get pexEnabled(): boolean {
    return this.config.pex !== false;
  }

  private pexSnapshot(requester: string): PexPeer[] {
    const now = Date.now();
    return this.book
      .entries()
      .filter(([id]) => id !== requester)
      .sort((a, b) => b[1].lastSeen - a[1].lastSeen)
      .map(([id, e]) => ({ id, addrs: e.addrs, lastSeen: this.isConnected(id) ? now : e.lastSeen }));
  }

  /** Asks `peerId` for its peers and merges them into the book; dials the ones that are new or moved. */
  private async exchangePeers(peerId: string): Promise<void> {
    if (this.stopped || this.pexInFlight.has(peerId)) return;
    this.pexInFlight.add(peerId);
    try {
      let response: Uint8Array;
      try {
        response = await this.request(peerId, PEX_PROTOCOL, new Uint8Array(0), { timeoutMs: PEX_TIMEOUT_MS });
      } catch (err) {
        if (!this.stopped) this.log.debug({ peer: peerId, err: errorMessage(err) }, 'p2p: pex request failed');
        return;
      }
      let decoded: ReturnType<typeof decodePexResponse>;
      try {
        decoded = decodePexResponse(response);
      } catch (err) {
        if (err instanceof PexDecodeError) this.penalize(peerId, `malformed pex response: ${err.message}`, PENALTY.malformedPex);
        else throw err;
        return;
      }
      if (decoded.invalid > 0) this.penalize(peerId, `${decoded.invalid} invalid pex entries`, Math.min(PENALTY.malformedPex, decoded.invalid * PENALTY.invalidPexEntry));
      for (const p of decoded.peers) {
        if (p.id === this.peerId) continue;
        // first-hand knowledge (identify on a live connection) beats hearsay
        if (this.isConnected(p.id) && this.book.get(p.id) !== undefined) continue;
        if (this.book.merge(p.id, p.addrs, p.lastSeen)) {
          this.log.info({ peer: p.id, addrs: p.addrs, via: peerId }, 'p2p: learned peer addresses via pex');
          this.reconnector.reset(p.id);
        }
      }
    } catch (err) {
      this.log.warn({ peer: peerId, err: errorMessage(err) }, 'p2p: pex failed');
    } finally {
      this.pexInFlight.delete(peerId);
    }
  }
}

function listenAddr({ host, port }: { host: string; port: number }) {
  return multiaddr(`/${host.includes(':') ? 'ip6' : 'ip4'}/${host}/tcp/${port}`).toString();
}
