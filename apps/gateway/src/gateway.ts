import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry, startHttpApp } from '@trucom/nest-common';
import type { Logger } from 'pino';
import { GatewayModule } from './app.module.js';
import type { GatewayConfig } from './config.js';
import { registerGatewayRoute } from './http/gateway-route.js';
import { GatewayRuntime } from './runtime.js';
import { registerUploadRoute } from './upload/upload-route.js';
import { registerStreamRoute } from './upload/stream-route.js';
import { registerStreamingRoutes } from './http/streaming-routes.js';
import { registerMailboxRoutes } from './mailbox/mailbox-routes.js';
import { registerLiveRoutes } from './live/live-routes.js';
import { LiveStreams } from './live/live-streams.js';
import { MailboxStore } from './mailbox/mailbox-store.js';

export interface StartGatewayOptions {
  readonly logger: Logger;
  /** Exit the process with code 0 after a graceful close on SIGTERM/SIGINT (the gateway's own entry point). */
  readonly exitOnSignal?: boolean;
}

/** Creates the data directory and starts the gateway's HTTP server; `app.close()` stops it. */
export async function startGateway(config: GatewayConfig, options: StartGatewayOptions): Promise<NestFastifyApplication> {
  await mkdir(config.home, { recursive: true, mode: 0o700 });
  const registry = createMetricsRegistry('gateway');
  const logger = options.logger.child({ home: config.home, rpc: config.rpc });
  const runtime = await GatewayRuntime.start(config, registry, logger);
  const app = await startHttpApp(GatewayModule.forRoot(config, registry, runtime), {
    host: config.host,
    port: config.port,
    logger,
    exitOnSignal: options.exitOnSignal,
    configure: async (fastify) => {
      await registerUploadRoute(fastify, { store: runtime.store, stored: (c) => runtime.stored(c.root), maxBytes: config.maxUploadBytes, log: logger.child({ part: 'upload' }) });
      registerStreamRoute(fastify, { store: runtime.store, stored: (c) => runtime.stored(c.root), workDir: runtime.workDir, maxBytes: config.maxUploadBytes, log: logger.child({ part: 'streams' }) });
      const live = new LiveStreams({ keys: runtime.keys, store: runtime.store, stored: (root) => runtime.stored(root), content: (c) => runtime.chain.content(c), workDir: runtime.workDir, log: logger.child({ part: 'live' }) });
      await registerLiveRoutes(fastify, live, registry);
      registerStreamingRoutes(fastify, { keys: runtime.keys, contentRoot: (c) => runtime.contentRoot(c), livePlaylist: (c) => (live.get(c) ? `/live/${c}/index.m3u8` : undefined), chainId: () => runtime.chainId() });
      await registerMailboxRoutes(fastify, { store: await MailboxStore.open(join(config.home, 'mailboxes')) });
      registerGatewayRoute(fastify, { gateway: runtime.gateway, served: (deal, n) => runtime.served(deal, n), requests: runtime.requests });
    },
  });
  return app;
}
