export * from './poll.js';
export * from './local-chain.js';
export * from './devnet-env.js';
