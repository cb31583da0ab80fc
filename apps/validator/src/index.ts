export * from './config.js';
export * from './validator.js';
