export * from './types.js';
export * from './io.js';
export * from './vote-keeper.js';
export * from './machine.js';
export * from './proposer.js';
export * from './driver.js';
