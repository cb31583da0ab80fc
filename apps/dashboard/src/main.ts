import '@trucom/nest-common/polyfills';
import { runServiceMain } from '@trucom/nest-common';
import { DASHBOARD_USAGE, parseDashboardArgs } from './config.js';
import { startDashboard } from './dashboard.js';

// Entry point of the dashboard process: `node apps/dashboard/dist/main.js --port 3000 --rpc …`.
await runServiceMain({ service: 'dashboard', usage: DASHBOARD_USAGE, parse: parseDashboardArgs, start: startDashboard });
