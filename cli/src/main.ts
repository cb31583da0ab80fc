import { Command } from 'commander';
import { registerKeys } from './commands/keys.js';
import { registerTx } from './commands/tx.js';
import { registerQuery } from './commands/query.js';
import { registerDevnet } from './commands/devnet.js';
import { registerValidator } from './commands/validator.js';
import { registerSite } from './commands/site.js';
import { registerDeal } from './commands/deal.js';
import { registerProvider } from './commands/provider.js';
import { registerGateway } from './commands/gateway.js';
import { registerGrant } from './commands/grant.js';
import { registerStream } from './commands/stream.js';
import { registerMsg } from './commands/msg.js';

/** `trucom`: one CLI for running nodes and for using the chain (keys, txs, queries). */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('trucom')
    .description('Trucom: validators, gateways and the hosting marketplace')
    .option('--home <dir>', 'Trucom home directory (keyring, devnet)', process.env.TRUCOM_HOME ?? '.trucom')
    .option('-o, --output <format>', 'output format: text or json', 'text')
    .showHelpAfterError();
  registerKeys(program);
  registerTx(program);
  registerQuery(program);
  registerDevnet(program);
  registerValidator(program);
  registerGateway(program);
  registerSite(program);
  registerDeal(program);
  registerProvider(program);
  registerGrant(program);
  registerStream(program);
  registerMsg(program);
  await program.parseAsync(argv);
}
