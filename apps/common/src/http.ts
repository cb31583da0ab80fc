import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { PinoNestLogger } from './logger.js';

export interface HttpAppOptions {
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  /** Largest request body accepted; bigger ones get 413. */
  readonly bodyLimit?: number;
}

/** Starts a Nest app on Fastify with CORS open (browser wallets and dashboards call every service). */
export async function startHttpApp(module: unknown, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module as never, new FastifyAdapter({ bodyLimit: options.bodyLimit ?? 1024 * 1024 }), {
    logger: new PinoNestLogger(options.logger),
    abortOnError: false,
  });
  app.enableCors({ origin: '*' });
  app.enableShutdownHooks();
  await app.listen(options.port, options.host);
  options.logger.info({ port: options.port, host: options.host }, 'listening');
  return app;
}
