import { Module, type DynamicModule } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { ChainNode } from '@trucom/chain';
import { ObservabilityModule } from '@trucom/nest-common';
import { CHAIN_NODE, LcdController } from './lcd.controller.js';
import { FAUCET, FaucetController } from './faucet.controller.js';
import { TxController } from './tx.controller.js';
import { StakingController } from './staking.controller.js';
import { MarketController } from './market.controller.js';
import { GrantsController } from './grants.controller.js';
import { AnchorsController } from './anchors.controller.js';
import type { Faucet } from './faucet.js';

/** The REST port (1317): Cosmos LCD routes, the market, sites, grants and anchors routes, the devnet faucet, /health and /metrics. */
@Module({})
export class RestModule {
  static forRoot(node: ChainNode, faucet: Faucet | null, registry: Registry): DynamicModule {
    return {
      module: RestModule,
      imports: [ObservabilityModule.forRoot({ service: 'validator-rest', registry, health: () => ({ status: 'ok', height: node.height, chain_id: node.chainId }) })],
      controllers: [LcdController, StakingController, MarketController, GrantsController, AnchorsController, TxController, FaucetController],
      providers: [
        { provide: CHAIN_NODE, useValue: node },
        { provide: FAUCET, useValue: faucet },
      ],
    };
  }
}
