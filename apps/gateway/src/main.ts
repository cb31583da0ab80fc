import '@trucom/nest-common/polyfills';
import { runServiceMain } from '@trucom/nest-common';
import { GATEWAY_USAGE, parseGatewayArgs } from './config.js';
import { startGateway } from './gateway.js';

// Entry point of one gateway process: `node apps/gateway/dist/main.js --port 8080 --home … --rpc …`.
await runServiceMain({ service: 'gateway', usage: GATEWAY_USAGE, parse: parseGatewayArgs, start: startGateway });
