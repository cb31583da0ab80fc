import type { Command } from 'commander';
import { TrucomQueries } from '@trucom/client';
import { cliContext, processIo, type CliIo } from '../context.js';
import { DEFAULT_NODE } from '../client.js';
import { emit, toJson } from '../output.js';
import { requireFrom, signAndSend, withFrom, withTxOptions, type FromFlags } from './tx.js';

interface RegisterFlags extends FromFlags {
  readonly endpoint?: string;
  readonly capacity?: string;
  readonly price?: string;
  readonly bandwidthPrice?: string;
  readonly collateral?: string;
}

const amount = (text: string, flag: string) => {
  const m = /^([0-9]{1,30})(utru)?$/.exec(text);
  if (!m) throw new Error(`${flag} must be an amount in utru, got ${JSON.stringify(text)}`);
  return m[1]!;
};

/** `trucom provider register|show`: storage providers (gateways that keep replicas and prove them). */
export function registerProvider(program: Command, io: CliIo = processIo): void {
  const provider = program.command('provider').description('storage providers: register a gateway, list providers');

  withTxOptions(
    withFrom(
      provider
        .command('register')
        .description('register the --from account as a storage provider, bonding --collateral')
        .option('--endpoint <url>', 'the gateway\'s public HTTP URL (required)')
        .option('--capacity <bytes>', 'bytes offered (required)')
        .option('--price <utru>', 'price per GiB per epoch (required)')
        .option('--bandwidth-price <utru>', 'price per GiB served', '0')
        .option('--collateral <utru>', 'collateral bonded (slashed on missed proofs) (required)'),
    ),
  ).action(async (flags: RegisterFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    for (const f of ['endpoint', 'capacity', 'price', 'collateral'] as const) if (!flags[f]) throw new Error(`required option '--${f}' not specified`);
    if (!/^[1-9][0-9]{0,17}$/.test(flags.capacity!)) throw new Error(`--capacity must be a number of bytes, got ${JSON.stringify(flags.capacity)}`);
    const value = (p: string) => ({ provider: p, endpoint: flags.endpoint, capacity: Number(flags.capacity), price: amount(flags.price!, '--price'), bandwidthPrice: amount(flags.bandwidthPrice ?? '0', '--bandwidth-price'), collateral: amount(flags.collateral!, '--collateral') });
    await signAndSend(ctx, cmd, requireFrom(flags), flags, (p) => [{ typeUrl: '/trucom.market.v1.MsgRegisterProvider', value: value(p) }]);
  });

  provider
    .command('show')
    .description('one provider (by address) or all of them (JSON)')
    .argument('[address]', 'provider account address (tru1…)')
    .option('--node <url>', 'validator RPC endpoint', DEFAULT_NODE)
    .action(async (address: string | undefined, flags: { node: string }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const chain = TrucomQueries.connect(flags.node);
      try {
        if (!address) return emit('json', await chain.providers(), toJson, ctx.stdout);
        const p = await chain.provider(address);
        if (!p) throw new Error(`${address} is not a registered provider`);
        emit('json', p, toJson, ctx.stdout);
      } finally {
        chain.disconnect();
      }
    });
}
