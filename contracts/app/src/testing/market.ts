import assert from 'node:assert/strict';
import { Registry, type EncodeObject, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { moduleAddress } from '@trucom/crypto';
import type { FinalizeBlockResult, TxResult } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { BALANCE_PREFIX } from '@trucom/bank';
import { COLLATERAL_MODULE, DEAL_PREFIX, dealFromProto, decodeDeal, decodeProvider, ESCROW_MODULE, marketRegistryTypes, PROVIDER_PREFIX, providerFromProto, type Deal, type Provider } from '@trucom/market';
import { sitesRegistryTypes } from '@trucom/sites';
import { grantsRegistryTypes } from '@trucom/grants';
import type { TestAccount } from './accounts.js';
import { signTx, type TestFee } from './txs.js';
import type { TestChain } from './chain.js';

const pb = trucom.market.v1;

/** cosmjs's default registry plus the market, sites and grants messages (protobufjs classes cosmjs accepts as-is). */
export const marketRegistry = new Registry([
  ...defaultRegistryTypes,
  ...(marketRegistryTypes as [string, GeneratedType][]),
  ...(sitesRegistryTypes as [string, GeneratedType][]),
  ...(grantsRegistryTypes as [string, GeneratedType][]),
]);

/** No fee and room for a storage proof's bytes (10 gas per tx byte). */
export const MARKET_FEE: TestFee = { amount: [], gas: '20000000' };

/** Signs each (account, msgs) pair as its own tx and delivers them together in the next block. */
export async function deliverTxs(chain: TestChain, txs: readonly { account: TestAccount; msgs: readonly EncodeObject[] }[]): Promise<FinalizeBlockResult> {
  const raws: Uint8Array[] = [];
  const sequences = new Map<string, bigint>();
  for (const { account, msgs } of txs) {
    const data = await chain.signerData(account.address);
    const sequence = sequences.get(account.address) ?? data.sequence;
    sequences.set(account.address, sequence + 1n);
    raws.push(await signTx(account, msgs, { ...data, sequence, fee: MARKET_FEE, registry: marketRegistry }));
  }
  const block = await chain.deliver(raws);
  await assertSupplyDecomposes(chain);
  return block;
}

export async function send(chain: TestChain, account: TestAccount, msgs: readonly EncodeObject[]): Promise<{ tx: TxResult; block: FinalizeBlockResult }> {
  const block = await deliverTxs(chain, [{ account, msgs }]);
  return { tx: block.txResults[0]!, block };
}

export async function ok(chain: TestChain, account: TestAccount, msgs: readonly EncodeObject[]): Promise<{ tx: TxResult; block: FinalizeBlockResult }> {
  const r = await send(chain, account, msgs);
  assert.equal(r.tx.code, 0, r.tx.log);
  return r;
}

export async function fails(chain: TestChain, account: TestAccount, msgs: readonly EncodeObject[], codespace: string, code: number, log?: RegExp): Promise<TxResult> {
  const { tx } = await send(chain, account, msgs);
  assert.equal(`${tx.codespace}/${tx.code}`, `${codespace}/${code}`, tx.log);
  if (log) assert.match(tx.log, log);
  return tx;
}

/** Empty blocks until the chain's height is `height`. */
export async function advanceTo(chain: TestChain, height: number): Promise<FinalizeBlockResult[]> {
  const out: FinalizeBlockResult[] = [];
  while (chain.height < height) {
    out.push(await chain.deliver([]));
    await assertSupplyDecomposes(chain);
  }
  return out;
}

export const firstResponse = (tx: TxResult) => TxMsgData.decode(tx.data).msgResponses[0]!;

/**
 * The supply identity the market keeps: supply = Σ balances outside the market's module accounts
 * + Σ deal escrow + Σ provider collateral (staking pools, distribution and fee collector are
 * ordinary balances here), read straight from committed state.
 */
export async function assertSupplyDecomposes(chain: TestChain, denom = 'utru'): Promise<void> {
  const market = new Set([moduleAddress(ESCROW_MODULE), moduleAddress(COLLATERAL_MODULE)]);
  let balances = 0n;
  for await (const [key, value] of chain.state.iterate(BALANCE_PREFIX)) {
    const [address, d] = key.slice(BALANCE_PREFIX.length).split('/');
    if (d === denom && !market.has(address!)) balances += BigInt(new TextDecoder().decode(value));
  }
  let escrow = 0n;
  for await (const [, value] of chain.state.iterate(DEAL_PREFIX)) escrow += decodeDeal(value).escrow;
  let collateral = 0n;
  for await (const [, value] of chain.state.iterate(PROVIDER_PREFIX)) collateral += decodeProvider(value).collateral;
  const supply = BigInt((await chain.totalSupply()).find((c) => c.denom === denom)?.amount ?? '0');
  assert.equal(supply, balances + escrow + collateral, `supply ${supply} = balances ${balances} + escrow ${escrow} + collateral ${collateral} after block ${chain.height}`);
}

// ---- messages ----

export const msgRegisterProvider = (provider: string, o: { endpoint?: string; capacity?: number; price?: string; bandwidthPrice?: string; collateral?: string } = {}): EncodeObject => ({
  typeUrl: '/trucom.market.v1.MsgRegisterProvider',
  value: { provider, endpoint: o.endpoint ?? 'http://127.0.0.1:8080', capacity: o.capacity ?? 10 * 2 ** 30, price: o.price ?? '100', bandwidthPrice: o.bandwidthPrice ?? '1000', collateral: o.collateral ?? '10000000' },
});
export const msgUpdateProvider = (provider: string, o: { endpoint?: string; capacity?: number; price?: string; bandwidthPrice?: string; addCollateral?: string }): EncodeObject => ({
  typeUrl: '/trucom.market.v1.MsgUpdateProvider',
  value: { provider, endpoint: o.endpoint ?? '', capacity: o.capacity ?? 0, price: o.price ?? '', bandwidthPrice: o.bandwidthPrice ?? '', addCollateral: o.addCollateral ?? '' },
});
export const msgExitProvider = (provider: string): EncodeObject => ({ typeUrl: '/trucom.market.v1.MsgExitProvider', value: { provider } });

export interface DealFields {
  cid: string;
  size?: number;
  profile?: string;
  kind?: string;
  replicas?: number;
  duration?: number;
  maxPrice?: string;
  bandwidthBudget?: string;
}
export const msgCreateDeal = (owner: string, d: DealFields): EncodeObject => ({
  typeUrl: '/trucom.market.v1.MsgCreateDeal',
  value: {
    owner,
    cid: d.cid,
    size: d.size ?? 1000,
    profile: d.profile ?? 'cidv1-256k-174',
    kind: d.kind ?? 'site',
    replicas: d.replicas ?? 3,
    duration: d.duration ?? 4,
    maxPrice: d.maxPrice ?? '100',
    bandwidthBudget: d.bandwidthBudget ?? '0',
  },
});
export const msgTopUpDeal = (owner: string, dealId: number, bandwidth: string): EncodeObject => ({ typeUrl: '/trucom.market.v1.MsgTopUpDeal', value: { owner, dealId, bandwidth } });
export const msgExtendDeal = (owner: string, dealId: number, epochs: number): EncodeObject => ({ typeUrl: '/trucom.market.v1.MsgExtendDeal', value: { owner, dealId, epochs } });
export const msgCancelDeal = (owner: string, dealId: number): EncodeObject => ({ typeUrl: '/trucom.market.v1.MsgCancelDeal', value: { owner, dealId } });
export const msgProveStorage = (provider: string, dealId: number, epoch: number, blocks: Uint8Array[]): EncodeObject => ({
  typeUrl: '/trucom.market.v1.MsgProveStorage',
  value: { provider, dealId, epoch, blocks },
});
export const msgClaimBandwidth = (provider: string, dealId: number, bytes: number, period: number): EncodeObject => ({
  typeUrl: '/trucom.market.v1.MsgClaimBandwidth',
  value: { provider, dealId, bytes, period },
});
export const msgRegisterSite = (owner: string, name: string, rootCid: string, dealId: number): EncodeObject => ({ typeUrl: '/trucom.sites.v1.MsgRegisterSite', value: { owner, name, rootCid, dealId } });
export const msgUpdateSite = (owner: string, name: string, rootCid: string, dealId: number): EncodeObject => ({ typeUrl: '/trucom.sites.v1.MsgUpdateSite', value: { owner, name, rootCid, dealId } });
export const msgTransferSite = (owner: string, name: string, newOwner: string): EncodeObject => ({ typeUrl: '/trucom.sites.v1.MsgTransferSite', value: { owner, name, newOwner } });

// ---- queries (abci_query paths, protobuf) ----

async function query<T>(chain: TestChain, path: string, request: Uint8Array, decode: (b: Uint8Array) => T): Promise<T> {
  const r = await chain.query(path, request);
  assert.equal(r.code, 0, r.log);
  return decode(r.value);
}

export async function queryDeal(chain: TestChain, id: number): Promise<{ deal: Deal; endpoints: Record<string, string>; currentEpoch: number }> {
  const r = await query(chain, '/trucom.market.v1.Query/Deal', pb.QueryDealRequest.encode({ id }).finish(), (b) => pb.QueryDealResponse.decode(b));
  return { deal: dealFromProto(r.deal!), endpoints: r.endpoints, currentEpoch: r.currentEpoch };
}
export const queryProvider = (chain: TestChain, address: string): Promise<Provider> =>
  query(chain, '/trucom.market.v1.Query/Provider', pb.QueryProviderRequest.encode({ address }).finish(), (b) => providerFromProto(pb.QueryProviderResponse.decode(b).provider!));

export interface ChallengeView {
  readonly dealId: number;
  readonly cid: string;
  readonly seed: Uint8Array;
  readonly epoch: number;
  readonly proven: boolean;
  readonly status: string;
}
export async function queryChallenges(chain: TestChain, provider: string): Promise<{ epoch: number; epochEndHeight: number; challenges: ChallengeView[] }> {
  const r = await query(chain, '/trucom.market.v1.Query/Challenges', pb.QueryChallengesRequest.encode({ provider }).finish(), (b) => pb.QueryChallengesResponse.decode(b));
  return {
    epoch: r.epoch,
    epochEndHeight: r.epochEndHeight,
    challenges: r.challenges.map((c) => ({ dealId: c.dealId ?? 0, cid: c.cid ?? '', seed: c.seed ?? new Uint8Array(), epoch: c.epoch ?? 0, proven: c.proven ?? false, status: c.status ?? '' })),
  };
}
