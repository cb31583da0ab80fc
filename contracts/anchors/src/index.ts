export * from './keys.js';
export * from './errors.js';
export * from './params.js';
export * from './keeper.js';
export * from './msgs.js';
export * from './queries.js';
export * from './module.js';
