// The quote and the deal message live in @trucom/client: the dashboard computes the same in the browser.
export { createDealMessage, GIB, quoteDeal, type DealContent, type DealTerms, type Quote } from '@trucom/client';
