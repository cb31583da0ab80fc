import type { EncodeObject } from '@cosmjs/proto-signing';
import type { Coin, DeliverTxResponse, MsgSendEncodeObject } from '@cosmjs/stargate';
import { isValidAddress } from '@trucom/crypto';
import type { Command } from 'commander';
import { connectSigningClient, DEFAULT_NODE } from '../client.js';
import { cliContext, processIo, type CliContext, type CliIo } from '../context.js';
import { DEFAULT_GAS_ADJUSTMENT, DEFAULT_GAS_PRICES, feeForTx, parseAmount, parseFeeFlags, type FeeFlags } from '../fees.js';
import { resolveKey } from '../keyring.js';
import { emit, formatFields, type Field } from '../output.js';
import {
  checkValoper,
  msgCreateValidator,
  msgDelegate,
  msgUndelegate,
  msgWithdrawDelegatorReward,
  msgWithdrawValidatorCommission,
  parseConsensusPubkey,
  valoperOf,
} from '../staking.js';

export interface TxFlags extends FeeFlags {
  readonly node: string;
  readonly memo?: string;
}

export interface FromFlags extends TxFlags {
  readonly from?: string;
}

/** The options every tx command has: node, fee (fixed or gas × price, simulated gas) and memo. */
export function withTxOptions(cmd: Command): Command {
  return cmd
    .option('--node <url>', 'validator RPC endpoint', DEFAULT_NODE)
    .option('--fees <amount>', 'fixed fee, e.g. 5000utru (instead of gas × --gas-prices)')
    .option('--gas <limit>', 'gas limit, or "auto" to simulate', 'auto')
    .option('--gas-prices <price>', 'price per unit of gas', DEFAULT_GAS_PRICES)
    .option('--gas-adjustment <factor>', 'multiplier for simulated gas (--gas auto)', DEFAULT_GAS_ADJUSTMENT)
    .option('--memo <text>', 'transaction memo')
    .addHelpText('after', '\nExit code 1 if the node rejects the tx or it executes with a non-zero code.');
}

/** `--from` for the commands that take the signer as an option (as the SDK's CLI does). */
export const withFrom = (cmd: Command) => cmd.option('--from <key>', 'signer: key name (keyring, else devnet account) or its address (required)');

export function requireFrom(flags: FromFlags): string {
  if (!flags.from) throw new Error("required option '--from <key>' not specified");
  return flags.from;
}

/** One coin in the bond denom's shape (`10000000utru`). */
function oneCoin(text: string, what: string): Coin {
  const coins = parseAmount(text, what);
  if (coins.length !== 1) throw new Error(`${what}: give one amount, e.g. 1000000utru; got ${text}`);
  return coins[0]!;
}

export interface SendOptions {
  /**
   * Gas the simulation cannot see: work the chain may do for this tx by the time it executes that it
   * would not do at the simulated height (added to the estimate before the gas adjustment).
   */
  readonly unseenGas?: number;
}

/**
 * Signs `msgs` as `from` with cosmjs (SIGN_MODE_DIRECT), broadcasts and waits for the block. `build`
 * gets the signer's address once the key is resolved. Nothing is printed.
 */
export async function sendTx(
  ctx: CliContext,
  cmd: Command,
  from: string,
  flags: TxFlags,
  build: (address: string) => EncodeObject[],
  options: SendOptions = {},
): Promise<{ result: DeliverTxResponse; address: string }> {
  const plan = parseFeeFlags(flags, cmd.getOptionValueSource('gasPrices') === 'cli');
  const key = await resolveKey(ctx.home, from);
  const msgs = build(key.address);
  const { client, address } = await connectSigningClient(flags.node, key, plan.gasPrice);
  try {
    const memo = flags.memo ?? '';
    const fee = await feeForTx(plan, async () => (await client.simulate(address, msgs, memo)) + (options.unseenGas ?? 0));
    return { result: await client.signAndBroadcast(address, msgs, fee, memo), address };
  } finally {
    client.disconnect();
  }
}

/** sendTx, then the result printed (plus `extra` fields); exit code 1 when the tx failed. */
export async function signAndSend(
  ctx: CliContext,
  cmd: Command,
  from: string,
  flags: TxFlags,
  build: (address: string) => EncodeObject[],
  extra: (address: string, result: DeliverTxResponse) => readonly Field[] = () => [],
  options: SendOptions = {},
): Promise<DeliverTxResponse> {
  const { result, address } = await sendTx(ctx, cmd, from, flags, build, options);
  const fields = result.code === 0 ? extra(address, result) : [];
  if (fields.length === 0) emit(ctx.output, result, formatDeliverTx, ctx.stdout);
  else emit(ctx.output, { ...result, ...Object.fromEntries(fields) }, (r) => formatDeliverTx(r) + formatFields(fields), ctx.stdout);
  if (result.code !== 0) process.exitCode = 1;
  return result;
}

/**
 * `trucom tx bank send`, `tx staking create-validator|delegate|unbond`, `tx distribution
 * withdraw-rewards`: signed with cosmjs, broadcast, and waited for until they are in a block.
 */
export function registerTx(program: Command, io: CliIo = processIo): void {
  const tx = program.command('tx').description('sign and broadcast transactions');
  const bank = tx.command('bank').description('bank module transactions');

  withTxOptions(
    bank
      .command('send')
      .description('send tokens from a key to an address and wait until the tx is in a block')
      .argument('<from>', 'key name (keyring, else devnet account) or its address')
      .argument('<to-address>', 'recipient address (tru1…)')
      .argument('<amount>', 'amount, e.g. 1000utru'),
  ).action(async (from: string, to: string, amountText: string, flags: TxFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    if (!isValidAddress(to)) throw new Error(`invalid recipient address ${JSON.stringify(to)}: expected a tru1… account address`);
    const amount = parseAmount(amountText, '<amount>');
    await signAndSend(ctx, cmd, from, flags, (address): MsgSendEncodeObject[] => [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: address, toAddress: to, amount } }]);
  });

  const staking = tx.command('staking').description('staking module transactions (validators and delegations)');

  interface CreateValidatorFlags extends FromFlags {
    readonly amount?: string;
    readonly pubkey?: string;
    readonly moniker?: string;
    readonly identity?: string;
    readonly website?: string;
    readonly details?: string;
    readonly commissionRate: string;
    readonly commissionMaxRate: string;
    readonly commissionMaxChangeRate: string;
    readonly minSelfDelegation: string;
  }
  withTxOptions(
    withFrom(
      staking
        .command('create-validator')
        .description("make the --from account a validator operator, self-bonding --amount with the node's consensus key")
        .option('--amount <coin>', 'self-delegation, e.g. 10000000utru (required)')
        .option('--pubkey <base64>', 'the node\'s Ed25519 consensus public key, as `trucom validator show` prints it (required)')
        .option('--moniker <name>', 'validator name (required)')
        .option('--identity <text>', 'optional identity signature (e.g. keybase)')
        .option('--website <url>', 'optional website')
        .option('--details <text>', 'optional description')
        .option('--commission-rate <dec>', 'commission on delegators\' rewards', '0.05')
        .option('--commission-max-rate <dec>', 'highest rate the commission can ever be set to', '0.20')
        .option('--commission-max-change-rate <dec>', 'largest change of the rate per day', '0.01')
        .option('--min-self-delegation <utru>', 'the validator is jailed if its self-delegation falls below this', '1'),
    ),
  ).action(async (flags: CreateValidatorFlags, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    const from = requireFrom(flags);
    for (const name of ['amount', 'pubkey', 'moniker'] as const) if (!flags[name]) throw new Error(`required option '--${name}' not specified`);
    const amount = oneCoin(flags.amount!, '--amount');
    const pubkey = parseConsensusPubkey(flags.pubkey!);
    await signAndSend(
      ctx,
      cmd,
      from,
      flags,
      (address) => [
        msgCreateValidator({
          operatorAccount: address,
          amount,
          pubkey,
          moniker: flags.moniker!,
          identity: flags.identity,
          website: flags.website,
          details: flags.details,
          commissionRate: flags.commissionRate,
          commissionMaxRate: flags.commissionMaxRate,
          commissionMaxChangeRate: flags.commissionMaxChangeRate,
          minSelfDelegation: flags.minSelfDelegation,
        }),
      ],
      (address) => [['operator_address', valoperOf(address)]],
    );
  });

  /** delegate and unbond: the same shape, one message each. */
  const bondCommand = (name: string, description: string, msg: (delegator: string, validator: string, amount: Coin) => EncodeObject) =>
    withTxOptions(
      withFrom(staking.command(name).description(description).argument('<validator>', 'operator address (truvaloper1…)').argument('<amount>', 'amount, e.g. 1000000utru')),
    ).action(async (validator: string, amountText: string, flags: FromFlags, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      checkValoper(validator);
      const amount = oneCoin(amountText, '<amount>');
      await signAndSend(ctx, cmd, requireFrom(flags), flags, (address) => [msg(address, validator, amount)]);
    });
  bondCommand('delegate', 'bond tokens to a validator', msgDelegate);
  bondCommand('unbond', 'start unbonding tokens from a validator (paid back after the unbonding period)', msgUndelegate);

  const distribution = tx.command('distribution').description('distribution module transactions (rewards)');
  withTxOptions(
    withFrom(
      distribution
        .command('withdraw-rewards')
        .description("withdraw the --from account's rewards from a validator")
        .argument('<validator>', 'operator address (truvaloper1…)')
        .option('--commission', "also withdraw the validator's commission (--from must be its operator)"),
    ),
  ).action(async (validator: string, flags: FromFlags & { commission?: boolean }, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    checkValoper(validator);
    await signAndSend(ctx, cmd, requireFrom(flags), flags, (address) => {
      if (flags.commission && valoperOf(address) !== validator) throw new Error(`--commission: ${address} is not the operator of ${validator}`);
      return [msgWithdrawDelegatorReward(address, validator), ...(flags.commission ? [msgWithdrawValidatorCommission(validator)] : [])];
    });
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
