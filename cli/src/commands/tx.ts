import type { DeliverTxResponse, MsgSendEncodeObject } from '@cosmjs/stargate';
import { isValidAddress } from '@trucom/crypto';
import type { Command } from 'commander';
import { connectSigningClient, DEFAULT_NODE } from '../client.js';
import { cliContext, processIo, type CliIo } from '../context.js';
import { DEFAULT_GAS_ADJUSTMENT, DEFAULT_GAS_PRICES, feeForTx, parseAmount, parseFeeFlags, type FeeFlags } from '../fees.js';
import { resolveKey } from '../keyring.js';
import { emit, formatFields } from '../output.js';

interface SendFlags extends FeeFlags {
  readonly node: string;
  readonly memo?: string;
}

/** `trucom tx bank send`: signs with cosmjs (SIGN_MODE_DIRECT), broadcasts, waits for the block. */
export function registerTx(program: Command, io: CliIo = processIo): void {
  const tx = program.command('tx').description('sign and broadcast transactions');
  const bank = tx.command('bank').description('bank module transactions');

  bank
    .command('send')
    .description('send tokens from a key to an address and wait until the tx is in a block')
    .argument('<from>', 'key name (keyring, else devnet account) or its address')
    .argument('<to-address>', 'recipient address (tru1…)')
    .argument('<amount>', 'amount, e.g. 1000utru')
    .option('--node <url>', 'validator RPC endpoint', DEFAULT_NODE)
    .option('--fees <amount>', 'fixed fee, e.g. 5000utru (instead of gas × --gas-prices)')
    .option('--gas <limit>', 'gas limit, or "auto" to simulate', 'auto')
    .option('--gas-prices <price>', 'price per unit of gas', DEFAULT_GAS_PRICES)
    .option('--gas-adjustment <factor>', 'multiplier for simulated gas (--gas auto)', DEFAULT_GAS_ADJUSTMENT)
    .option('--memo <text>', 'transaction memo')
    .addHelpText('after', '\nExit code 1 if the node rejects the tx or it executes with a non-zero code.')
    .action(async (from: string, to: string, amountText: string, flags: SendFlags, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      if (!isValidAddress(to)) throw new Error(`invalid recipient address ${JSON.stringify(to)}: expected a tru1… account address`);
      const amount = parseAmount(amountText, '<amount>');
      const plan = parseFeeFlags(flags, cmd.getOptionValueSource('gasPrices') === 'cli');
      const key = await resolveKey(ctx.home, from);
      const { client, address } = await connectSigningClient(flags.node, key, plan.gasPrice);
      try {
        const msg: MsgSendEncodeObject = { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: address, toAddress: to, amount } };
        const memo = flags.memo ?? '';
        const fee = await feeForTx(plan, () => client.simulate(address, [msg], memo));
        const result = await client.signAndBroadcast(address, [msg], fee, memo);
        emit(ctx.output, result, formatDeliverTx, ctx.stdout);
        if (result.code !== 0) process.exitCode = 1;
      } finally {
        client.disconnect();
      }
    });
}

export function formatDeliverTx(r: DeliverTxResponse): string {
  return formatFields([
    ['txhash', r.transactionHash],
    ['height', r.height],
    ['code', r.code],
    ['gas', `${r.gasUsed} used / ${r.gasWanted} wanted`],
    ['log', r.code !== 0 ? r.rawLog || '(empty)' : undefined],
  ]);
}
