export * from './priv-validator.js';
export * from './tendermint/index.js';
export * from './safe-signer.js';
export * from './engine/index.js';
