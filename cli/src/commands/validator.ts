import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { toBase64, toUpperHex } from '@trucom/crypto';
import { createPrivValidatorKeyFile } from '@trucom/consensus';
import { DEFAULT_NODE_CONFIG, homePaths } from '@trucom/validator/config';

/**
 * The validator home given as `--home <dir>`. The program has a `--home` option of its own, and
 * commander reads program options after a subcommand too, so in `trucom validator start --home X`
 * the program takes X and the subcommand never sees it: read it from whichever got it.
 */
function validatorHomeOption(program: Command, opts: { home?: string }): string {
  const home = opts.home ?? (program.getOptionValueSource('home') === 'cli' ? (program.opts().home as string) : undefined);
  if (!home) throw new Error("required option '--home <dir>' not specified (the validator home directory)");
  return home;
}

/** `trucom validator init|start`: run one validator from its home directory. */
export function registerValidator(program: Command): void {
  const validator = program.command('validator').description('initialise or run a validator node');

  validator
    .command('init')
    .description('create a validator home: consensus key (priv_validator_key.json) and node.json')
    .option('--home <dir>', 'validator home directory (required)')
    .option('--moniker <name>', 'name shown to other nodes', 'trucom-node')
    .action((opts: { home?: string; moniker: string }) => {
      const home = validatorHomeOption(program, opts);
      const paths = homePaths(home);
      if (existsSync(paths.privValidatorKey)) throw new Error(`${paths.privValidatorKey} already exists; refusing to overwrite a consensus key`);
      const key = createPrivValidatorKeyFile(paths.privValidatorKey);
      mkdirSync(join(home, 'config'), { recursive: true });
      writeFileSync(paths.config, JSON.stringify({ ...DEFAULT_NODE_CONFIG, moniker: opts.moniker }, null, 2) + '\n');
      const out = { home, address: toUpperHex(key.address), pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(key.publicKey) } };
      console.log(program.opts().output === 'json' ? JSON.stringify(out) : `validator home ${home}\naddress ${out.address}\npub_key ${out.pub_key.value}\nput the network's genesis.json in ${paths.genesis}`);
    });

  validator
    .command('start')
    .description('run the validator in this process (e.g. one devnet node: --home .trucom/devnet/v0)')
    .option('--home <dir>', 'validator home directory (required)')
    .action(async (opts: { home?: string }) => {
      const home = validatorHomeOption(program, opts);
      // Loaded on use: the node pulls in Nest and Fastify, which other commands do not need.
      const { startValidator } = await import('@trucom/validator');
      const running = await startValidator(home);
      await new Promise<void>((resolve) => {
        const stop = () => void running.stop().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
