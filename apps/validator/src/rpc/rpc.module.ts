import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { ObservabilityModule } from '@trucom/nest-common';
import { RpcController, RPC_DISPATCHER } from './rpc.controller.js';
import type { JsonRpcDispatcher } from './json-rpc.js';

/** The RPC port: CometBFT JSON-RPC plus /metrics; /health is the CometBFT health method there. */
@Module({})
export class RpcModule {
  static forRoot(dispatcher: JsonRpcDispatcher, registry: Registry): DynamicModule {
    return {
      module: RpcModule,
      imports: [ObservabilityModule.forRoot({ service: 'validator-rpc', registry, health: () => ({ jsonrpc: '2.0', id: -1, result: {}, status: 'ok' }) })],
      controllers: [RpcController],
      providers: [{ provide: RPC_DISPATCHER, useValue: dispatcher }],
    };
  }
}
