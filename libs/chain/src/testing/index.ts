export * from './temp-db.js';
export * from './toy-app.js';
