import { Controller, Get, Header, Inject, Module, type DynamicModule } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly [detail: string]: unknown;
}

export interface ObservabilityOptions {
  readonly service: string;
  readonly registry: Registry;
  readonly health: () => HealthReport | Promise<HealthReport>;
}

export const OBSERVABILITY = Symbol('OBSERVABILITY');

/** A Prometheus registry with the process metrics (CPU, memory, event loop lag) already in it. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'trucom_' });
  return registry;
}

@Controller()
class ObservabilityController {
  constructor(@Inject(OBSERVABILITY) private readonly options: ObservabilityOptions) {}

  @Get('health')
  health() {
    return this.options.health();
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics() {
    return this.options.registry.metrics();
  }
}

/** GET /health and GET /metrics, the same on every Trucom service. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return { module: ObservabilityModule, controllers: [ObservabilityController], providers: [{ provide: OBSERVABILITY, useValue: options }] };
  }
}
