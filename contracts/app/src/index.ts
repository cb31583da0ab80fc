export * from './genesis.js';
export * from './app.js';
