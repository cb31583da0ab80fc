import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry, startHttpApp } from '@trucom/nest-common';
import type { Logger } from 'pino';
import { DashboardModule } from './app.module.js';
import type { DashboardConfig } from './config.js';
import { registerSpa } from './spa.js';

export interface StartDashboardOptions {
  readonly logger: Logger;
  /** Exit the process with code 0 after a graceful close on SIGTERM/SIGINT (the dashboard's own entry point). */
  readonly exitOnSignal?: boolean;
  /** Directory of the built web app (default dist/web next to this file). */
  readonly webRoot?: string;
}

/** Starts the dashboard's HTTP server; `app.close()` stops it. */
export async function startDashboard(config: DashboardConfig, options: StartDashboardOptions): Promise<NestFastifyApplication> {
  const registry = createMetricsRegistry('dashboard');
  return startHttpApp(DashboardModule.forRoot(config, registry), {
    host: config.host,
    port: config.port,
    logger: options.logger.child({ rpc: config.rpc }),
    exitOnSignal: options.exitOnSignal,
    configure: (app) => registerSpa(app, options.webRoot),
  });
}
