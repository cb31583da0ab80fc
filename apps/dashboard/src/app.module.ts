import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@trucom/nest-common';
import type { Registry } from 'prom-client';
import type { DashboardConfig } from './config.js';
import { DASHBOARD_CONFIG, HomeController } from './home.controller.js';

/** The dashboard's Nest module: for now the placeholder page; the SPA and its BFF join it later. */
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
      controllers: [HomeController],
      providers: [{ provide: DASHBOARD_CONFIG, useValue: config }],
    };
  }
}
