import '@trucom/nest-common/polyfills';
import { createLogger } from '@trucom/nest-common';
import { DASHBOARD_USAGE, parseDashboardArgs, type DashboardConfig } from './config.js';
import { startDashboard } from './dashboard.js';

// Entry point of the dashboard process: `node apps/dashboard/dist/main.js --port 3000 --rpc …`.
let config: DashboardConfig | undefined;
try {
  config = parseDashboardArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`error: ${(err as Error).message}\n\n${DASHBOARD_USAGE}`);
  process.exit(1);
}
if (!config) {
  process.stdout.write(DASHBOARD_USAGE);
  process.exit(0);
}

const logger = createLogger('dashboard');
try {
  await startDashboard(config, { logger, exitOnSignal: true });
} catch (err) {
  logger.fatal({ err }, 'dashboard failed to start');
  process.exit(1);
}
