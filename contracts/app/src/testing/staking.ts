import assert from 'node:assert/strict';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { Registry } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { MsgUnjail } from 'cosmjs-types/cosmos/slashing/v1beta1/tx';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { reprefix, sha256, VALOPER_PREFIX } from '@trucom/crypto';
import type { Event, FinalizeBlockResult, TxResult } from '@trucom/chain';
import { genesisValidatorsState } from '../genesis.js';
import type { TestAccount } from './accounts.js';
import { signTx, type TestFee } from './txs.js';
import { TestChain, type DeliverOptions } from './chain.js';

/** cosmjs's default registry plus MsgUnjail (which cosmjs does not register). */
export const stakingRegistry = new Registry([...defaultRegistryTypes, ['/cosmos.slashing.v1beta1.MsgUnjail', MsgUnjail]]);

/** No fee: rewards then come from the block provision alone, so tests can compute them exactly. */
export const FREE: TestFee = { amount: [], gas: '2000000' };

/** A fixed 32-byte "Ed25519" consensus key: the app only hashes it, it never verifies with it. */
export const consensusKey = (i: number): Uint8Array => sha256(new TextEncoder().encode(`trucom test consensus key ${i}`));
export const valoper = (account: TestAccount): string => reprefix(account.address, VALOPER_PREFIX);

export const attrs = (events: readonly Event[], type: string) => events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));

export interface StakingChainOptions {
  /** Genesis validators: operator account and self-bond. */
  readonly validators: readonly { account: TestAccount; selfBond: bigint; commissionRate?: string; key?: number }[];
  readonly balances: readonly { address: string; coins: string }[];
  readonly staking?: Record<string, unknown>;
  readonly distribution?: Record<string, unknown>;
  readonly slashing?: Record<string, unknown>;
}

/** A TestChain with staking genesis (via genesisValidatorsState) and a simulated consensus set. */
export async function startStakingChain(opts: StakingChainOptions): Promise<TestChain> {
  const g = genesisValidatorsState(
    opts.validators.map((v, i) => ({ operatorAccount: v.account.address, consensusPubKey: consensusKey(v.key ?? i), selfBond: v.selfBond, moniker: `v${i}`, commissionRate: v.commissionRate })),
  );
  return TestChain.start({
    balances: [...opts.balances, { address: g.bondedPoolBalance.address, coins: `${g.bondedPoolBalance.coins[0]!.amount}utru` }],
    minGasPrice: null,
    appState: {
      staking: { params: { unbonding_time: 20, max_validators: 10, bond_denom: 'utru', ...opts.staking }, ...g.staking },
      distribution: { params: { block_provision: '0', community_tax: '0', ...opts.distribution } },
      slashing: { params: opts.slashing ?? {} },
    },
    consensusValidators: g.validators.map((v) => ({ publicKey: Buffer.from(v.pub_key.value, 'base64'), power: Number(v.power) })),
  });
}

/** Signs `msgs` for `account` (no fee) and delivers them alone in the next block. */
export async function sendMsgs(
  chain: TestChain,
  account: TestAccount,
  msgs: readonly EncodeObject[],
  fee: TestFee = FREE,
  deliver: DeliverOptions = {},
): Promise<{ tx: TxResult; block: FinalizeBlockResult }> {
  const raw = await signTx(account, msgs, { ...(await chain.signerData(account.address)), fee, registry: stakingRegistry });
  const block = await chain.deliver([raw], deliver);
  return { tx: block.txResults[0]!, block };
}

export async function expectOk(chain: TestChain, account: TestAccount, msgs: readonly EncodeObject[]): Promise<{ tx: TxResult; block: FinalizeBlockResult }> {
  const r = await sendMsgs(chain, account, msgs);
  assert.equal(r.tx.code, 0, r.tx.log);
  return r;
}

export async function expectFail(
  chain: TestChain,
  account: TestAccount,
  msgs: readonly EncodeObject[],
  codespace: string,
  code: number,
  log?: RegExp,
  deliver: DeliverOptions = {},
): Promise<TxResult> {
  const { tx } = await sendMsgs(chain, account, msgs, FREE, deliver);
  assert.equal(`${tx.codespace}/${tx.code}`, `${codespace}/${code}`, tx.log);
  if (log) assert.match(tx.log, log);
  return tx;
}

export const msgResponse = (tx: TxResult) => TxMsgData.decode(tx.data).msgResponses[0]!;

const coin = (amount: bigint | number | string, denom = 'utru') => ({ denom, amount: String(amount) });

export const msgDelegate = (delegator: string, validator: string, amount: bigint | number, denom = 'utru'): EncodeObject => ({
  typeUrl: '/cosmos.staking.v1beta1.MsgDelegate',
  value: { delegatorAddress: delegator, validatorAddress: validator, amount: coin(amount, denom) },
});
export const msgUndelegate = (delegator: string, validator: string, amount: bigint | number): EncodeObject => ({
  typeUrl: '/cosmos.staking.v1beta1.MsgUndelegate',
  value: { delegatorAddress: delegator, validatorAddress: validator, amount: coin(amount) },
});
export const msgRedelegate = (delegator: string, src: string, dst: string, amount: bigint | number): EncodeObject => ({
  typeUrl: '/cosmos.staking.v1beta1.MsgBeginRedelegate',
  value: { delegatorAddress: delegator, validatorSrcAddress: src, validatorDstAddress: dst, amount: coin(amount) },
});
export const msgWithdrawReward = (delegator: string, validator: string): EncodeObject => ({
  typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward',
  value: { delegatorAddress: delegator, validatorAddress: validator },
});
export const msgWithdrawCommission = (validator: string): EncodeObject => ({
  typeUrl: '/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission',
  value: { validatorAddress: validator },
});
export const msgUnjail = (validator: string): EncodeObject => ({ typeUrl: '/cosmos.slashing.v1beta1.MsgUnjail', value: { validatorAddr: validator } });

/** Dec atomics as protobuf carries them ("0.1" → "100000000000000000"). */
export const decAtomics = (s: string): string => {
  const [w, f = ''] = s.split('.');
  return (BigInt(w!) * 10n ** 18n + BigInt(f.padEnd(18, '0'))).toString();
};

export function msgCreateValidator(
  account: TestAccount,
  key: Uint8Array,
  amount: bigint | number,
  opts: { rate?: string; maxRate?: string; maxChangeRate?: string; minSelfDelegation?: string; denom?: string; pubkeyType?: string; moniker?: string } = {},
): EncodeObject {
  return {
    typeUrl: '/cosmos.staking.v1beta1.MsgCreateValidator',
    value: {
      description: { moniker: opts.moniker ?? 'new', identity: '', website: '', securityContact: '', details: '' },
      commission: { rate: decAtomics(opts.rate ?? '0.1'), maxRate: decAtomics(opts.maxRate ?? '0.2'), maxChangeRate: decAtomics(opts.maxChangeRate ?? '0.01') },
      minSelfDelegation: opts.minSelfDelegation ?? '1',
      delegatorAddress: '',
      validatorAddress: valoper(account),
      pubkey: { typeUrl: opts.pubkeyType ?? '/cosmos.crypto.ed25519.PubKey', value: Ed25519PubKey.encode({ key }).finish() },
      value: coin(amount, opts.denom),
    },
  };
}

export function msgEditValidator(account: TestAccount, fields: { moniker?: string; commissionRate?: string; minSelfDelegation?: string }): EncodeObject {
  return {
    typeUrl: '/cosmos.staking.v1beta1.MsgEditValidator',
    value: {
      description: { moniker: fields.moniker ?? '[do-not-modify]', identity: '[do-not-modify]', website: '[do-not-modify]', securityContact: '[do-not-modify]', details: '[do-not-modify]' },
      validatorAddress: valoper(account),
      commissionRate: fields.commissionRate ? decAtomics(fields.commissionRate) : '',
      minSelfDelegation: fields.minSelfDelegation ?? '',
    },
  };
}

/**
 * A CometClient that serves cosmjs from the in-process TestChain: queries go to Application.query,
 * broadcast_tx_sync runs CheckTx and then delivers the tx in its own block, tx_search finds it by
 * hash. Lets unmodified SigningStargateClient methods (delegateTokens, …) run end to end.
 */
export function inProcessComet(chain: TestChain): CometClient {
  const delivered = new Map<string, { height: number; index: number; tx: Uint8Array; result: TxResult }>();
  return {
    status: async () => ({ nodeInfo: { network: chain.chainId }, syncInfo: { latestBlockHeight: chain.height } }),
    abciQuery: async ({ path, data }: { path: string; data: Uint8Array }) => {
      const r = await chain.query(path, data);
      return { key: new Uint8Array(), value: r.value, height: r.height, index: 0, code: r.code, codespace: r.codespace, log: r.log, info: '' };
    },
    broadcastTxSync: async ({ tx }: { tx: Uint8Array }) => {
      const hash = sha256(tx);
      const check = await chain.checkTx(tx);
      if (check.code !== 0) return { code: check.code, codespace: check.codespace, log: check.log, hash, data: new Uint8Array() };
      const block = await chain.deliver([tx]);
      delivered.set(Buffer.from(hash).toString('hex').toUpperCase(), { height: chain.height, index: 0, tx, result: block.txResults[0]! });
      return { code: 0, codespace: '', log: '', hash, data: new Uint8Array() };
    },
    txSearchAll: async ({ query }: { query: string }) => {
      const id = /tx\.hash='([0-9A-F]+)'/.exec(query)?.[1] ?? '';
      const d = delivered.get(id);
      if (!d) return { txs: [], totalCount: 0 };
      const r = d.result;
      return {
        totalCount: 1,
        txs: [
          {
            hash: Buffer.from(id, 'hex'),
            height: d.height,
            index: d.index,
            tx: d.tx,
            result: { code: r.code, codespace: r.codespace, log: r.log, data: r.data, gasUsed: BigInt(r.gasUsed), gasWanted: BigInt(r.gasWanted), events: r.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) })) },
          },
        ],
      };
    },
    disconnect: () => {},
  } as unknown as CometClient;
}
