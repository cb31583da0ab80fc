import { mkdir } from 'node:fs/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry, startHttpApp } from '@trucom/nest-common';
import type { Logger } from 'pino';
import { GatewayModule } from './app.module.js';
import type { GatewayConfig } from './config.js';

export interface StartGatewayOptions {
  readonly logger: Logger;
  /** Exit the process with code 0 after a graceful close on SIGTERM/SIGINT (the gateway's own entry point). */
  readonly exitOnSignal?: boolean;
}

/** Creates the data directory and starts the gateway's HTTP server; `app.close()` stops it. */
export async function startGateway(config: GatewayConfig, options: StartGatewayOptions): Promise<NestFastifyApplication> {
  await mkdir(config.home, { recursive: true, mode: 0o700 });
  const registry = createMetricsRegistry('gateway');
  return startHttpApp(GatewayModule.forRoot(config, registry), {
    host: config.host,
    port: config.port,
    logger: options.logger.child({ home: config.home, rpc: config.rpc }),
    exitOnSignal: options.exitOnSignal,
  });
}
