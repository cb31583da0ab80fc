import '@trucom/nest-common/polyfills';
import { createLogger } from '@trucom/nest-common';
import { GATEWAY_USAGE, parseGatewayArgs, type GatewayConfig } from './config.js';
import { startGateway } from './gateway.js';

// Entry point of one gateway process: `node apps/gateway/dist/main.js --port 8080 --home … --rpc …`.
let config: GatewayConfig | undefined;
try {
  config = parseGatewayArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: ${(err as Error).message}\n\n${GATEWAY_USAGE}`);
  process.exit(1);
}
if (!config) {
  process.stdout.write(GATEWAY_USAGE);
  process.exit(0);
}

const logger = createLogger('gateway');
try {
  await startGateway(config, { logger, exitOnSignal: true });
} catch (err) {
  logger.fatal({ err }, 'gateway failed to start');
  process.exit(1);
}
