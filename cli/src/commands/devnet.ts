import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { accountsFile, dashboardHome, devnetLayout, gatewayHome, genesisFile, logsDir, validatorHome } from '../devnet/layout.js';
import { createDevnet, writeGatewayConfigs, writeValidatorConfigs, type DevnetAccount } from '../devnet/create.js';
import { Supervisor } from '../devnet/supervisor.js';
import { VALIDATOR_NODE_FLAGS } from '@trucom/validator/config';

const script = (app: string) => fileURLToPath(new URL(`../../../apps/${app}/dist/main.js`, import.meta.url));

/**
 * The first height ≥ 1 that `rpc` reports, polling until `stopped()`; `slow()` is called once after
 * 60 s without a block (a loaded machine can take longer to start four validators).
 */
async function waitForHeight(rpc: string, stopped: () => boolean, slow: () => void): Promise<number | undefined> {
  const slowAt = Date.now() + 60_000;
  let warned = false;
  while (!stopped()) {
    try {
      const res = await fetch(`${rpc}/status`, { signal: AbortSignal.timeout(5_000) });
      const h = Number(((await res.json()) as { result: { sync_info: { latest_block_height: string } } }).result.sync_info.latest_block_height);
      if (h >= 1) return h;
    } catch {
      // not up yet
    }
    if (!warned && Date.now() > slowAt) {
      warned = true;
      slow();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

/** `trucom devnet`: what `npm start` runs. Creates the devnet on first use, then resumes it from disk. */
export function registerDevnet(program: Command): void {
  program
    .command('devnet')
    .description('run the local devnet: validators, gateways and the dashboard as separate processes (Ctrl-C stops it)')
    .option('--reset', 'delete the devnet state and start a new chain')
    .action(async (opts: { reset?: boolean }) => {
      const layout = devnetLayout(program.opts().home as string);
      if (opts.reset) rmSync(layout.dir, { recursive: true, force: true });
      const fresh = !existsSync(genesisFile(layout));
      if (fresh) await createDevnet(layout);
      const accounts = JSON.parse(readFileSync(accountsFile(layout), 'utf8')) as DevnetAccount[];
      await writeValidatorConfigs(layout, accounts.find((a) => a.name === 'faucet')!.mnemonic);
      writeGatewayConfigs(layout);

      const say = (line: string) => console.log(`[devnet] ${line}`);
      const supervisor = new Supervisor(logsDir(layout), say);
      const rpc0 = `http://127.0.0.1:${layout.rpcPort(0)}`;
      for (let i = 0; i < layout.validators; i++) {
        const home = validatorHome(layout, i);
        supervisor.start({ name: `v${i}`, script: script('validator'), nodeFlags: VALIDATOR_NODE_FLAGS, args: ['--home', home], restartHint: `Run it again with: npx trucom validator start --home ${home}` });
      }
      for (let i = 0; i < layout.gateways; i++) {
        // A gateway may stop (or be killed) alone: replicas of the others keep every site served, and
        // the chain repairs its deals; the user restarts it by hand.
        const home = gatewayHome(layout, i);
        supervisor.start({ name: `g${i}`, script: script('gateway'), args: ['--home', home], restartHint: `Run it again with: npx trucom gateway start --home ${home}` });
      }
      const gateways = Array.from({ length: layout.gateways }, (_, i) => `http://127.0.0.1:${layout.gatewayPort(i)}`).join(',');
      const rest = `http://127.0.0.1:${layout.restPort}`;
      supervisor.start({ name: 'dashboard', script: script('dashboard'), args: ['--port', String(layout.dashboardPort), '--rpc', rpc0, '--rest', rest, '--gateways', gateways, '--chain-id', layout.chainId, '--home', dashboardHome(layout)] });

      let stopping = false;
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.on(signal, () => {
          if (stopping) return;
          stopping = true;
          say('stopping…');
          void supervisor.stop(0);
        });
      }

      say(`${fresh ? 'created' : 'resuming'} ${layout.chainId} in ${layout.dir}`);
      let ended = false; // every service stopped (e.g. one crashed): nothing more to wait for
      const exitCode = supervisor.wait().finally(() => {
        ended = true;
      });
      const height = await waitForHeight(rpc0, () => stopping || ended, () => say(`no block after 60 s; still waiting (see the logs in ${logsDir(layout)})`));
      if (height !== undefined && !stopping && !ended) {
        say(`chain ${layout.chainId} is producing blocks (height ${height})`);
        for (let i = 0; i < layout.validators; i++) say(`validator v${i}: RPC http://127.0.0.1:${layout.rpcPort(i)}, p2p ${layout.p2pPort(i)} (pid ${supervisor.pids.get(`v${i}`)}, home ${validatorHome(layout, i)})`);
        say(`REST + faucet: http://127.0.0.1:${layout.restPort}  (POST /faucet {"address":"tru1…"})`);
        for (let i = 0; i < layout.gateways; i++) say(`gateway g${i}: http://127.0.0.1:${layout.gatewayPort(i)} (pid ${supervisor.pids.get(`g${i}`)}, home ${gatewayHome(layout, i)})`);
        say(`dashboard: http://127.0.0.1:${layout.dashboardPort}`);
        say(`funded accounts (with seed phrases): ${accountsFile(layout)}`);
        say('Ctrl-C stops the devnet; `npm start` again resumes it.');
      }
      process.exitCode = await exitCode;
    });
}
