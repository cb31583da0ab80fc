import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry, startHttpApp } from '@trucom/nest-common';
import type { Logger } from 'pino';
import { DashboardModule } from './app.module.js';
import type { DashboardConfig } from './config.js';
import { PaymentIndexer } from './payments/payment-indexer.js';
import { PaymentStore } from './payments/payment-store.js';
import { registerSpa } from './spa.js';

export interface StartDashboardOptions {
  readonly logger: Logger;
  /** Exit the process with code 0 after a graceful close on SIGTERM/SIGINT (the dashboard's own entry point). */
  readonly exitOnSignal?: boolean;
  /** Directory of the built web app (default dist/web next to this file). */
  readonly webRoot?: string;
}

/** Creates the data directory, starts the payment indexer and the HTTP server; `app.close()` stops both. */
export async function startDashboard(config: DashboardConfig, options: StartDashboardOptions): Promise<NestFastifyApplication> {
  await mkdir(config.home, { recursive: true, mode: 0o700 });
  const registry = createMetricsRegistry('dashboard');
  const logger = options.logger.child({ rpc: config.rpc, home: config.home });
  const indexer = new PaymentIndexer({ rpc: config.rpc, rest: config.rest }, await PaymentStore.open(join(config.home, 'payments')), logger.child({ part: 'payments' }), registry);
  indexer.start();
  try {
    return await startHttpApp(DashboardModule.forRoot(config, registry, indexer), {
      host: config.host,
      port: config.port,
      logger,
      exitOnSignal: options.exitOnSignal,
      configure: (app) => registerSpa(app, options.webRoot),
    });
  } catch (err) {
    await indexer.close(); // e.g. the port is taken: release the LevelDB lock too
    throw err;
  }
}
