export * from './network.js';
export * from './signed-messages.js';
export * from './wal.js';
export * from './proposer-rotation.js';
export * from './tendermint-engine.js';
export * from './block-sync.js';
export * from './tx-gossip.js';
export * from './evidence-pool.js';
