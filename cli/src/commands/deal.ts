import type { Command } from 'commander';
import { TrucomQueries } from '@trucom/client';
import { cliContext, processIo, type CliIo } from '../context.js';
import { DEFAULT_NODE } from '../client.js';
import { emit, toJson } from '../output.js';
import { requireFrom, signAndSend, withFrom, withTxOptions, type FromFlags } from './tx.js';

/** Gas of one storage payout by the chain (a bank transfer from escrow to a provider, measured at about 16k). */
const STORAGE_PAYOUT_GAS = 16_000;

/**
 * How many storage payouts a cancel may make that a simulation now would not: it pays each live replica
 * that proved in the current epoch, and proofs land in the first blocks of every epoch, so any live
 * replica that has not proved yet may have by the time the cancel executes.
 */
async function payoutsUnseen(node: string, id: number): Promise<number> {
  const chain = TrucomQueries.connect(node);
  try {
    const found = await chain.deal(id);
    const epoch = Number(found?.currentEpoch ?? 0);
    return (found?.deal?.replicas ?? []).filter((r) => r.status !== 'failed' && Number(r.lastProvenEpoch ?? 0) < epoch).length;
  } finally {
    chain.disconnect();
  }
}

function dealId(text: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) throw new Error(`<id> must be a deal number, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** `trucom deal show|topup|extend|cancel`: a publisher's storage deals. */
export function registerDeal(program: Command, io: CliIo = processIo): void {
  const deal = program.command('deal').description('storage deals: escrow, replicas, proofs, bandwidth');

  deal
    .command('show')
    .description('a deal with its replicas, escrow, funded-until epoch and bandwidth (JSON)')
    .argument('<id>', 'deal id')
    .option('--node <url>', 'validator RPC endpoint', DEFAULT_NODE)
    .action(async (id: string, flags: { node: string }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const chain = TrucomQueries.connect(flags.node);
      try {
        const found = await chain.deal(dealId(id));
        if (!found?.deal) throw new Error(`no deal ${id}`);
        emit('json', { ...found.deal, endpoints: found.endpoints, current_epoch: found.currentEpoch }, toJson, ctx.stdout);
      } finally {
        chain.disconnect();
      }
    });

  withTxOptions(
    withFrom(
      deal
        .command('topup')
        .description('add to a deal\'s bandwidth budget and/or pay for more epochs')
        .argument('<id>', 'deal id')
        .option('--bandwidth <utru>', 'amount added to the bandwidth budget, e.g. 500000utru')
        .option('--epochs <n>', 'epochs added to the funded period'),
    ),
  ).action(async (id: string, flags: FromFlags & { bandwidth?: string; epochs?: string }, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    if (!flags.bandwidth && !flags.epochs) throw new Error('give --bandwidth <utru>, --epochs <n> or both');
    const n = dealId(id);
    if (flags.epochs && !/^[1-9][0-9]{0,9}$/.test(flags.epochs)) throw new Error(`--epochs must be a positive integer, got ${JSON.stringify(flags.epochs)}`);
    const bandwidth = flags.bandwidth ? /^([0-9]{1,30})(utru)?$/.exec(flags.bandwidth)?.[1] : undefined;
    if (flags.bandwidth && !bandwidth) throw new Error(`--bandwidth must be an amount in utru, got ${JSON.stringify(flags.bandwidth)}`);
    await signAndSend(ctx, cmd, requireFrom(flags), flags, (owner) => [
      ...(bandwidth ? [{ typeUrl: '/trucom.market.v1.MsgTopUpDeal', value: { owner, dealId: n, bandwidth } }] : []),
      ...(flags.epochs ? [{ typeUrl: '/trucom.market.v1.MsgExtendDeal', value: { owner, dealId: n, epochs: Number(flags.epochs) } }] : []),
    ]);
  });

  withTxOptions(withFrom(deal.command('cancel').description('end a deal now; the unspent escrow returns to its owner').argument('<id>', 'deal id'))).action(
    async (id: string, flags: FromFlags, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const n = dealId(id);
      // Without room for proofs that land meanwhile, the cancel runs out of gas (and its fee is lost).
      const unseenGas = (await payoutsUnseen(flags.node, n)) * STORAGE_PAYOUT_GAS;
      await signAndSend(ctx, cmd, requireFrom(flags), flags, (owner) => [{ typeUrl: '/trucom.market.v1.MsgCancelDeal', value: { owner, dealId: n } }], () => [], { unseenGas });
    },
  );
}
