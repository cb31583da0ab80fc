import './polyfills.js';

export { P2PNode, PENALTY, type P2PConfig, type ConnectedPeer, type KnownPeer, type MessageHandler } from './node.js';
export type { P2PLogger } from './logger.js';
export type { PeerScoreOptions } from './peer-scores.js';
export { PEX_PROTOCOL } from './pex.js';
export { RemoteError, RequestTimeoutError, ProtocolViolationError } from './request-response.js';
export { loadOrCreateIdentity, nodePeerId } from './identity.js';
