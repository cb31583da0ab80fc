import type { Command } from 'commander';
import { homeOption } from '../context.js';

/** `trucom gateway start --home <dir>`: one gateway in this process (e.g. a devnet one: --home .trucom/devnet/g1). */
export function registerGateway(program: Command): void {
  const gateway = program.command('gateway').description('run a gateway (content, uploads, and a storage provider when its home holds provider.json)');
  gateway
    .command('start')
    .description('run the gateway whose home holds gateway.json (port, rpc) and provider.json; flags override')
    .option('--home <dir>', 'gateway home directory, e.g. .trucom/devnet/g1 (required)')
    .option('--port <n>', 'HTTP port')
    .option('--rpc <url>', 'validator RPC endpoint')
    .action(async (opts: { home?: string; port?: string; rpc?: string }) => {
      const home = homeOption(program, opts, 'the gateway home directory');
      const args = ['--home', home, ...(opts.port ? ['--port', opts.port] : []), ...(opts.rpc ? ['--rpc', opts.rpc] : [])];
      // Loaded on use: the gateway pulls in Nest and Fastify, which other commands do not need.
      const { parseGatewayArgs, startGateway } = await import('@trucom/gateway');
      const { pino } = await import('pino');
      const config = parseGatewayArgs(args, process.env)!;
      const app = await startGateway(config, { logger: pino({ level: process.env.LOG_LEVEL ?? 'info' }) });
      await new Promise<void>((resolve) => {
        const stop = () => void app.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
