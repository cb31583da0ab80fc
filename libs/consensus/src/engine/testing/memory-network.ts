import type { ConsensusNetwork } from '../network.js';

/**
 * An in-process network of named peers for engine tests: publishes reach every other connected
 * peer asynchronously, requests call the target's handler; links can be cut to make partitions.
 * The real thing is libs/p2p over libp2p; this only lets the engine's logic be tested fast.
 */
export class MemoryHub {
  private readonly peers = new Map<string, MemoryPeer>();
  private readonly cut = new Set<string>();

  join(id: string): MemoryPeer {
    const peer = new MemoryPeer(id, this);
    this.peers.set(id, peer);
    return peer;
  }

  leave(id: string): void {
    this.peers.delete(id);
  }

  /** Splits the peers into groups that cannot reach each other (empty call heals). */
  partition(...groups: string[][]): void {
    this.cut.clear();
    for (const a of groups) for (const b of groups) if (a !== b) for (const x of a) for (const y of b) this.cut.add(`${x}|${y}`);
  }

  linked(a: string, b: string): boolean {
    return a !== b && this.peers.has(a) && this.peers.has(b) && !this.cut.has(`${a}|${b}`);
  }

  others(id: string): MemoryPeer[] {
    return [...this.peers.values()].filter((p) => this.linked(id, p.id));
  }

  get(id: string): MemoryPeer | undefined {
    return this.peers.get(id);
  }
}

export class MemoryPeer implements ConsensusNetwork {
  readonly handlers = new Map<string, Set<(data: Uint8Array, from: string) => void>>();
  readonly protocols = new Map<string, (request: Uint8Array, from: string) => Promise<Uint8Array>>();
  readonly penalties: { peer: string; reason: string }[] = [];

  constructor(
    readonly id: string,
    private readonly hub: MemoryHub,
  ) {}

  publish(topic: string, data: Uint8Array): void {
    for (const peer of this.hub.others(this.id)) setImmediate(() => peer.deliver(topic, data, this.id));
  }

  private readonly checks = new Map<string, (data: Uint8Array) => string | undefined>();

  validateTopic(topic: string, check: (data: Uint8Array) => string | undefined): void {
    this.checks.set(topic, check);
  }

  deliver(topic: string, data: Uint8Array, from: string): void {
    if (!this.hub.linked(from, this.id)) return;
    const check = this.checks.get(topic);
    const problem = check?.(data);
    if (problem !== undefined) return this.penalize(from, `invalid message on ${topic}: ${problem}`);
    for (const h of this.handlers.get(topic) ?? []) h(data, from);
  }

  onMessage(topic: string, handler: (data: Uint8Array, from: string) => void): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  handle(protocol: string, handler: (request: Uint8Array, from: string) => Promise<Uint8Array>): void {
    this.protocols.set(protocol, handler);
  }

  async request(peerId: string, protocol: string, request: Uint8Array): Promise<Uint8Array> {
    const target = this.hub.get(peerId);
    const handler = target?.protocols.get(protocol);
    if (!target || !handler || !this.hub.linked(this.id, peerId)) throw new Error(`${peerId} unreachable`);
    return handler(request, this.id);
  }

  connectedPeers(): { peerId: string }[] {
    return this.hub.others(this.id).map((p) => ({ peerId: p.id }));
  }

  penalize(peer: string, reason: string): void {
    this.penalties.push({ peer, reason });
  }
}
