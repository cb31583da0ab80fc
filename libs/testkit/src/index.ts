export * from './poll.js';
export * from './local-chain.js';
