/**
 * What consensus needs from the peer-to-peer layer (libs/p2p's P2PNode provides it; tests may
 * provide an in-memory one). Messages carry their own signatures, so `from` is used only to score
 * peers that relay garbage.
 */
export interface ConsensusNetwork {
  publish(topic: string, data: Uint8Array): void;
  onMessage(topic: string, handler: (data: Uint8Array, from: string) => void): () => void;
  handle(protocol: string, handler: (request: Uint8Array, from: string) => Promise<Uint8Array>): void;
  request(peerId: string, protocol: string, request: Uint8Array, options?: { timeoutMs?: number }): Promise<Uint8Array>;
  connectedPeers(): readonly { readonly peerId: string }[];
  penalize(peerId: string, reason: string, points?: number): void;
  /** A content check gossip runs before delivering or forwarding a message: it returns the problem, if any (the sender is scored down). */
  validateTopic(topic: string, check: (data: Uint8Array) => string | undefined): void;
}

export const TOPICS = {
  consensus: 'trucom/consensus/1',
  txs: 'trucom/txs/2', // 2: messages carry the peers their publisher reached (P2PConfig.sparseRelayTopics)
  evidence: 'trucom/evidence/1',
} as const;

export const PROTOCOLS = {
  status: '/trucom/sync/status/1.0.0',
  blocks: '/trucom/sync/blocks/1.0.0',
} as const;

export interface EngineLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
