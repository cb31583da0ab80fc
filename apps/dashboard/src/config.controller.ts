import { Controller, Get, Header, Inject } from '@nestjs/common';
import { clientConfig, keplrChainInfo, type DashboardConfig } from './config.js';

export const DASHBOARD_CONFIG = Symbol('DASHBOARD_CONFIG');

/** What the browser app reads before it starts: where the chain and the gateways are. */
@Controller()
export class ConfigController {
  constructor(@Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig) {}

  @Get('config.json')
  @Header('Cache-Control', 'no-cache')
  clientConfig() {
    return clientConfig(this.config);
  }

  /** Keplr's chain info, for `window.keplr.experimentalSuggestChain`. */
  @Get('keplr-chain-info.json')
  @Header('Cache-Control', 'no-cache')
  keplr() {
    return keplrChainInfo(this.config);
  }
}
