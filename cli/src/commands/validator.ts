import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { toBase64, toUpperHex } from '@trucom/crypto';
import { createPrivValidatorKeyFile } from '@trucom/consensus';
import { DEFAULT_NODE_CONFIG, homePaths } from '@trucom/validator/config';

/** `trucom validator init|start`: run one validator from its home directory. */
export function registerValidator(program: Command): void {
  const validator = program.command('validator').description('initialise or run a validator node');

  validator
    .command('init')
    .description('create a validator home: consensus key (priv_validator_key.json) and node.json')
    .requiredOption('--home <dir>', 'validator home directory')
    .option('--moniker <name>', 'name shown to other nodes', 'trucom-node')
    .action((opts: { home: string; moniker: string }) => {
      const paths = homePaths(opts.home);
      if (existsSync(paths.privValidatorKey)) throw new Error(`${paths.privValidatorKey} already exists; refusing to overwrite a consensus key`);
      const key = createPrivValidatorKeyFile(paths.privValidatorKey);
      mkdirSync(join(opts.home, 'config'), { recursive: true });
      writeFileSync(paths.config, JSON.stringify({ ...DEFAULT_NODE_CONFIG, moniker: opts.moniker }, null, 2) + '\n');
      const out = { home: opts.home, address: toUpperHex(key.address), pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(key.publicKey) } };
      console.log(program.opts().output === 'json' ? JSON.stringify(out) : `validator home ${opts.home}\naddress ${out.address}\npub_key ${out.pub_key.value}\nput the network's genesis.json in ${paths.genesis}`);
    });

  validator
    .command('start')
    .description('run the validator in this process (e.g. one devnet node: --home .trucom/devnet/v0)')
    .requiredOption('--home <dir>', 'validator home directory')
    .action(async (opts: { home: string }) => {
      // Loaded on use: the node pulls in Nest and Fastify, which other commands do not need.
      const { startValidator } = await import('@trucom/validator');
      const running = await startValidator(opts.home);
      await new Promise<void>((resolve) => {
        const stop = () => void running.stop().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
