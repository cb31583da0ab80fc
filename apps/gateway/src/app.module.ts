import { Module, type DynamicModule } from '@nestjs/common';
import { ObservabilityModule } from '@trucom/nest-common';
import type { Registry } from 'prom-client';
import type { GatewayConfig } from './config.js';
import { GatewayRuntime } from './runtime.js';

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** The gateway's Nest module; feature modules (upload, path gateway, key server) join it later. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, registry: Registry, runtime: GatewayRuntime): DynamicModule {
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
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: GatewayRuntime, useValue: runtime },
        { provide: 'GATEWAY_SHUTDOWN', useFactory: () => ({ onApplicationShutdown: () => runtime.close() }) },
      ],
      exports: [GATEWAY_CONFIG],
    };
  }
}
