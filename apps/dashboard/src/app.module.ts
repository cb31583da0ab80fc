import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@trucom/nest-common';
import type { Registry } from 'prom-client';
import type { DashboardConfig } from './config.js';
import { ConfigController, DASHBOARD_CONFIG } from './config.controller.js';
import { PaymentIndexer } from './payments/payment-indexer.js';
import { PaymentsController } from './payments/payments.controller.js';

/** The dashboard's Nest module: the browser app's config, the payment history API, /health and /metrics (the SPA files are served by a plain Fastify route, see spa.ts). */
@Module({})
export class DashboardModule {
  static forRoot(config: DashboardConfig, registry: Registry, indexer: PaymentIndexer): DynamicModule {
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
      controllers: [ConfigController, PaymentsController],
      providers: [
        { provide: DASHBOARD_CONFIG, useValue: config },
        { provide: PaymentIndexer, useValue: indexer },
        { provide: 'DASHBOARD_SHUTDOWN', useFactory: () => ({ onApplicationShutdown: () => indexer.close() }) },
      ],
    };
  }
}
