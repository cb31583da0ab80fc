import { decodeTxRaw, Registry } from '@cosmjs/proto-signing';
import { defaultRegistryTypes, QueryClient, setupStakingExtension, type Account, type IndexedTx } from '@cosmjs/stargate';
import { toRfc3339WithNanoseconds, type CometClient } from '@cosmjs/tendermint-rpc';
import { isValidAddress, sha256, toUpperHex } from '@trucom/crypto';
import type { Command } from 'commander';
import { connectCometClient, connectQueryClient, DEFAULT_NODE, explainRpcError } from '../client.js';
import { cliContext, processIo, type CliIo } from '../context.js';
import { emit, formatCoin, formatCoins, formatFields, formatTable } from '../output.js';
import { validatorView, type ValidatorView } from '../staking.js';

interface NodeFlags {
  readonly node: string;
}

const BOND_STATUS: Record<string, string> = { bonded: 'BOND_STATUS_BONDED', unbonding: 'BOND_STATUS_UNBONDING', unbonded: 'BOND_STATUS_UNBONDED' };

/** `trucom query bank balances|account|tx|block|staking validators`, over the validator's CometBFT-compatible RPC. */
export function registerQuery(program: Command, io: CliIo = processIo): void {
  const query = program.command('query').alias('q').description('read chain state (text for people, --output json for scripts)');
  const withNode = (cmd: Command) => cmd.option('--node <url>', 'validator RPC endpoint', DEFAULT_NODE);

  const bank = query.command('bank').description('bank module queries');
  withNode(bank.command('balances').description("an account's balances").argument('<address>', 'account address (tru1…)')).action(
    async (address: string, flags: NodeFlags, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      checkAddress(address);
      const client = await connectQueryClient(flags.node);
      try {
        const balances = await client.getAllBalances(address);
        emit(ctx.output, { address, balances }, (r) => formatFields([['address', r.address], ['balances', formatCoins(r.balances)]]), ctx.stdout);
      } finally {
        client.disconnect();
      }
    },
  );

  withNode(query.command('account').description('account number, sequence and public key').argument('<address>', 'account address (tru1…)')).action(
    async (address: string, flags: NodeFlags, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      checkAddress(address);
      const client = await connectQueryClient(flags.node);
      try {
        const account = await client.getAccount(address);
        if (!account) throw new Error(`account ${address} not found (it has never received tokens)`);
        emit(ctx.output, account, formatAccount, ctx.stdout);
      } finally {
        client.disconnect();
      }
    },
  );

  withNode(query.command('tx').description('a committed transaction by hash').argument('<hash>', 'tx hash (64 hex digits)')).action(
    async (hash: string, flags: NodeFlags, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new Error(`invalid tx hash ${JSON.stringify(hash)}: expected 64 hex digits`);
      const client = await connectQueryClient(flags.node);
      try {
        const tx = await client.getTx(hash.toUpperCase());
        if (!tx) throw new Error(`tx ${hash.toUpperCase()} not found`);
        emit(ctx.output, txView(tx), formatTx, ctx.stdout);
      } finally {
        client.disconnect();
      }
    },
  );

  const staking = query.command('staking').description('staking module queries');
  withNode(
    staking
      .command('validators')
      .description('every validator (bonded, unbonding and unbonded) with its stake and consensus address')
      .option('--status <status>', 'only bonded, unbonding or unbonded validators'),
  ).action(async (flags: NodeFlags & { status?: string }, cmd: Command) => {
    const ctx = cliContext(cmd, io);
    const status = flags.status === undefined ? '' : BOND_STATUS[flags.status.toLowerCase()] ?? (Object.values(BOND_STATUS).includes(flags.status) ? flags.status : undefined);
    if (status === undefined) throw new Error(`--status must be bonded, unbonding or unbonded, got ${JSON.stringify(flags.status)}`);
    const comet = await connectCometClient(flags.node);
    try {
      const q = QueryClient.withExtensions(comet, setupStakingExtension);
      // '' asks for every status (the SDK's default)
      const r = await q.staking.validators(status as Parameters<typeof q.staking.validators>[0]).catch((err: unknown) => {
        throw explainRpcError(err);
      });
      const validators = r.validators.map(validatorView).sort((a, b) => (BigInt(b.tokens) > BigInt(a.tokens) ? 1 : BigInt(b.tokens) < BigInt(a.tokens) ? -1 : a.operator_address < b.operator_address ? -1 : 1));
      emit(ctx.output, { validators }, (v) => formatValidators(v.validators), ctx.stdout);
    } finally {
      comet.disconnect();
    }
  });

  withNode(query.command('block').description('a block header and its txs (latest when no height is given)').argument('[height]', 'block height')).action(
    async (heightText: string | undefined, flags: NodeFlags, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const height = heightText === undefined ? undefined : parseHeight(heightText);
      const client = await connectCometClient(flags.node);
      try {
        const block = await client.block(height).catch((err: unknown) => {
          throw explainRpcError(err);
        });
        emit(ctx.output, blockView(block), formatBlock, ctx.stdout);
      } finally {
        client.disconnect();
      }
    },
  );
}

export function formatValidators(validators: readonly ValidatorView[]): string {
  if (validators.length === 0) return '(no validators)\n';
  const status = (v: ValidatorView) => v.status.replace('BOND_STATUS_', '').toLowerCase() + (v.jailed ? ' (jailed)' : '');
  const commission = (v: ValidatorView) => {
    const [int = '0', frac = ''] = v.commission_rate.split('.');
    const rest = frac.slice(2).replace(/0+$/, '');
    return `${BigInt(int) * 100n + BigInt(frac.slice(0, 2).padEnd(2, '0'))}${rest ? `.${rest}` : ''}%`;
  };
  return formatTable(
    ['operator', 'moniker', 'status', 'tokens', 'commission', 'consensus address'],
    validators.map((v) => [v.operator_address, v.moniker, status(v), formatCoin({ denom: 'utru', amount: v.tokens }), commission(v), v.consensus_address]),
  );
}

function checkAddress(address: string): void {
  if (!isValidAddress(address)) throw new Error(`invalid address ${JSON.stringify(address)}: expected a tru1… account address`);
}

function parseHeight(text: string): number {
  const height = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(height) || height < 1) throw new Error(`invalid height ${JSON.stringify(text)}: expected a positive integer`);
  return height;
}

export function formatAccount(a: Account): string {
  return formatFields([
    ['address', a.address],
    ['account_number', a.accountNumber],
    ['sequence', a.sequence],
    ['pubkey', a.pubkey ? `${a.pubkey.value as string} (${a.pubkey.type})` : '(none: no tx signed yet)'],
  ]);
}

const registry = new Registry(defaultRegistryTypes);

/** A message decoded with cosmjs' registry where it knows the type; our own types stay bytes. */
function decodeMessage(msg: { typeUrl: string; value: Uint8Array }): { typeUrl: string; value: unknown } {
  try {
    return { typeUrl: msg.typeUrl, value: registry.decode(msg) as unknown };
  } catch {
    return { typeUrl: msg.typeUrl, value: msg.value };
  }
}

export interface TxView extends Omit<IndexedTx, 'tx'> {
  readonly tx: Uint8Array;
  readonly body: { readonly messages: { typeUrl: string; value: unknown }[]; readonly memo: string; readonly timeoutHeight: bigint };
  readonly fee: { readonly amount: readonly { denom: string; amount: string }[]; readonly gasLimit: bigint } | undefined;
  readonly signers: number;
}

export function txView(tx: IndexedTx): TxView {
  const decoded = decodeTxRaw(tx.tx);
  const fee = decoded.authInfo.fee;
  return {
    ...tx,
    body: { messages: decoded.body.messages.map(decodeMessage), memo: decoded.body.memo, timeoutHeight: decoded.body.timeoutHeight },
    fee: fee ? { amount: fee.amount, gasLimit: fee.gasLimit } : undefined,
    signers: decoded.authInfo.signerInfos.length,
  };
}

export function formatTx(t: TxView): string {
  const messages = t.body.messages.map((m, i) => [`msg[${i}]`, describeMessage(m)] as const);
  return formatFields([
    ['txhash', t.hash],
    ['height', t.height],
    ['index', t.txIndex],
    ['code', t.code],
    ['log', t.code !== 0 ? t.rawLog || '(empty)' : undefined],
    ['gas', `${t.gasUsed} used / ${t.gasWanted} wanted`],
    ['fee', t.fee ? `${formatCoins(t.fee.amount)}, gas limit ${t.fee.gasLimit}` : undefined],
    ['memo', t.body.memo || undefined],
    ...messages,
  ]);
}

function describeMessage(m: { typeUrl: string; value: unknown }): string {
  if (m.typeUrl === '/cosmos.bank.v1beta1.MsgSend' && !(m.value instanceof Uint8Array)) {
    const v = m.value as { fromAddress: string; toAddress: string; amount: { denom: string; amount: string }[] };
    return `${m.typeUrl} ${v.fromAddress} → ${v.toAddress} ${formatCoins(v.amount)}`;
  }
  return m.typeUrl;
}

type BlockResponse = Awaited<ReturnType<CometClient['block']>>;

const hex = (bytes: Uint8Array | undefined | null) => (bytes ? toUpperHex(bytes) : '');

/** A block the way CometBFT's JSON shows one: hashes in upper-case hex, time in RFC 3339 (ns). */
export function blockView(res: BlockResponse) {
  const h = res.block.header;
  return {
    block_id: { hash: hex(res.blockId.hash) },
    header: {
      chain_id: h.chainId,
      height: h.height,
      time: toRfc3339WithNanoseconds(h.time),
      last_block_id: { hash: hex(h.lastBlockId?.hash) },
      last_commit_hash: hex(h.lastCommitHash),
      data_hash: hex(h.dataHash),
      validators_hash: hex(h.validatorsHash),
      next_validators_hash: hex(h.nextValidatorsHash),
      app_hash: hex(h.appHash),
      last_results_hash: hex(h.lastResultsHash),
      evidence_hash: hex(h.evidenceHash),
      proposer_address: hex(h.proposerAddress),
    },
    txs: res.block.txs.map((tx) => ({ hash: hex(sha256(tx)), tx })),
    last_commit: res.block.lastCommit ? { height: res.block.lastCommit.height, round: res.block.lastCommit.round, signatures: res.block.lastCommit.signatures.length } : null,
    evidence: res.block.evidence.length,
  };
}

export function formatBlock(b: ReturnType<typeof blockView>): string {
  return formatFields([
    ['height', b.header.height],
    ['hash', b.block_id.hash],
    ['time', b.header.time],
    ['chain_id', b.header.chain_id],
    ['proposer', b.header.proposer_address],
    ['app_hash', b.header.app_hash],
    ['last_block', b.header.last_block_id.hash || '(none)'],
    ['signatures', b.last_commit ? `${b.last_commit.signatures} in the last commit (round ${b.last_commit.round})` : undefined],
    ['txs', b.txs.length],
    ...b.txs.map((t, i) => [`tx[${i}]`, t.hash] as const),
  ]);
}
