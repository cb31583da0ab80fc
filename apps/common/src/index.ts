export * from './logger.js';
export * from './observability.module.js';
export * from './http.js';
export * from './args.js';
export * from './service-main.js';
