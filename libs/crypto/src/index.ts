export * from './bytes.js';
export * from './hash.js';
export * from './secp256k1.js';
export * from './ed25519.js';
export * from './address.js';
export * from './mnemonic.js';
export * from './memo.js';
export * from './adr036.js';
