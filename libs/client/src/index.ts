export { trucomMsgTypes, trucomRegistry } from './registry.js';
export { connectOfflineSigner, connectSigner, DEFAULT_GAS_PRICE, type Signer } from './signer.js';
export { cometClient, QueryError, TrucomQueries, type ContentView } from './queries.js';
export { createDealMessage, GIB, quoteDeal, type DealContent, type DealTerms, type Quote } from './quote.js';
