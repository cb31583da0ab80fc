export * from './layout.js';
export * from './create.js';
export * from './supervisor.js';
