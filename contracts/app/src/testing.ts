/**
 * Test helpers: cosmjs wallets and signed txs, and the real app on a temp LevelDB. Import with a
 * relative path from tests; deliberately not re-exported by index.ts.
 */
export * from './testing/accounts.js';
export * from './testing/txs.js';
export * from './testing/chain.js';
export * from './testing/staking.js';
export * from './testing/market.js';
export * from './testing/grants.js';
