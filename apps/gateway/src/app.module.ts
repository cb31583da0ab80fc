import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@trucom/nest-common';
import type { Registry } from 'prom-client';
import type { GatewayConfig } from './config.js';

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** The gateway's Nest module; feature modules (upload, path gateway, key server) join it later. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, registry: Registry): DynamicModule {
    const startedAt = Date.now();
    return {
      module: GatewayModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'gateway',
          registry,
          health: () => ({ status: 'ok', service: 'gateway', uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000) }),
        }),
      ],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
      exports: [GATEWAY_CONFIG],
    };
  }
}
