import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@trucom/nest-common';
import type { Registry } from 'prom-client';
import type { DashboardConfig } from './config.js';
import { ConfigController, DASHBOARD_CONFIG } from './config.controller.js';

/** The dashboard's Nest module: the browser app's config, /health and /metrics (the SPA files are served by a plain Fastify route, see spa.ts). */
@Module({})
export class DashboardModule {
  static forRoot(config: DashboardConfig, registry: Registry): DynamicModule {
    const startedAt = Date.now();
    return {
      module: DashboardModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'dashboard',
          registry,
          health: () => ({ status: 'ok', service: 'dashboard', uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000) }),
        }),
      ],
      controllers: [ConfigController],
      providers: [{ provide: DASHBOARD_CONFIG, useValue: config }],
    };
  }
}
