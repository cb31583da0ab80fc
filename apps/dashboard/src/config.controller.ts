import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { DashboardConfig } from './config.js';
import { PLACEHOLDER_PAGE_CSP, renderPlaceholderPage } from './placeholder-page.js';

export const DASHBOARD_CONFIG = Symbol('DASHBOARD_CONFIG');

@Controller()
export class HomeController {
  private readonly page: string;

  constructor(@Inject(DASHBOARD_CONFIG) config: DashboardConfig) {
    this.page = renderPlaceholderPage(config.rpc);
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PLACEHOLDER_PAGE_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  home(): string {
    return this.page;
  }
}
