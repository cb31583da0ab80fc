export * from './config.js';
export * from './app.module.js';
export * from './gateway.js';
