import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { PinoNestLogger } from './logger.js';

export interface HttpAppOptions {
  readonly host: string;
  /** 0 picks a free port; `listeningPort(app)` tells which. */
  readonly port: number;
  readonly logger: Logger;
  /** Largest request body accepted; bigger ones get 413. */
  readonly bodyLimit?: number;
  /**
   * On a shutdown signal (SIGTERM, SIGINT, …), close the app and then exit with code 0 (1 if closing
   * failed). For a process that runs this one service; leave it off when several apps share a
   * process, where the default re-raises the signal once this app has closed.
   */
  readonly exitOnSignal?: boolean;
  /** Hand request bodies to handlers as raw strings (the JSON-RPC port parses and reports errors itself). */
  readonly rawBody?: boolean;
  /** Registers plugins and plain Fastify routes before the app listens (hot paths that skip Nest's pipeline). */
  readonly configure?: (instance: FastifyInstance) => Promise<void> | void;
}

/** Starts a Nest app on Fastify with CORS open (browser wallets and dashboards call every service). */
export async function startHttpApp(module: unknown, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  if (options.rawBody) {
    // Every body, whatever its content type, reaches the handler as text: Fastify's own JSON parser
    // would otherwise answer malformed JSON sent as application/json (as every JSON-RPC client sends
    // it) with its own 400 instead of letting the handler reply with a JSON-RPC parse error.
    const instance = adapter.getInstance();
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  }
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    logger: new PinoNestLogger(options.logger),
    abortOnError: false,
    bodyParser: !options.rawBody,
  });
  // PUT and DELETE too (not @fastify/cors' default GET, HEAD, POST): the dashboard writes and
  // acknowledges mailbox envelopes on gateways. No cookies are involved: requests carry signatures.
  app.enableCors({ origin: '*', methods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] });
  await options.configure?.(adapter.getInstance() as unknown as FastifyInstance);
  if (options.exitOnSignal) {
    app.enableShutdownHooks([], { useProcessExit: true });
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => options.logger.info({ signal }, 'shutting down'));
  }
  await app.listen(options.port, options.host);
  options.logger.info({ port: listeningPort(app), host: options.host }, 'listening');
  return app;
}

/** The TCP port the app's HTTP server is bound to (the real one when it was started on port 0). */
export function listeningPort(app: NestFastifyApplication): number {
  return (app.getHttpServer().address() as AddressInfo).port;
}
