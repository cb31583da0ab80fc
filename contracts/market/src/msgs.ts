import { isValidAddress } from '@trucom/crypto';
import { ErrInvalidAddress, type MsgHandler, type MsgResponse } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { parseRootCid } from './cid.js';
import { cancelDeal, claimBandwidth, createDeal, extendDeal, proveStorage, topUpDeal } from './deals.js';
import { ErrInvalidAmount, ErrInvalidCapacity, ErrInvalidCid, ErrInvalidDeal, ErrInvalidEndpoint, ErrInvalidKind } from './errors.js';
import type { MarketKeeper } from './keeper.js';
import { exitProvider, registerProvider, updateProvider } from './providers.js';
import { DEAL_KINDS, type DealKind } from './types.js';

const pb = trucom.market.v1;

export const MARKET_MSG_TYPES = {
  '/trucom.market.v1.MsgRegisterProvider': pb.MsgRegisterProvider,
  '/trucom.market.v1.MsgUpdateProvider': pb.MsgUpdateProvider,
  '/trucom.market.v1.MsgExitProvider': pb.MsgExitProvider,
  '/trucom.market.v1.MsgCreateDeal': pb.MsgCreateDeal,
  '/trucom.market.v1.MsgTopUpDeal': pb.MsgTopUpDeal,
  '/trucom.market.v1.MsgExtendDeal': pb.MsgExtendDeal,
  '/trucom.market.v1.MsgCancelDeal': pb.MsgCancelDeal,
  '/trucom.market.v1.MsgProveStorage': pb.MsgProveStorage,
  '/trucom.market.v1.MsgClaimBandwidth': pb.MsgClaimBandwidth,
} as const;

/** [typeUrl, protobufjs class] pairs for a cosmjs Registry (`new Registry([...defaultRegistryTypes, ...marketRegistryTypes])`). */
export const marketRegistryTypes = Object.entries(MARKET_MSG_TYPES) as [string, (typeof MARKET_MSG_TYPES)[keyof typeof MARKET_MSG_TYPES]][];

const MAX_ENDPOINT = 256;

export function requireAddress(address: string, field: string): void {
  if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid ${field} address ${JSON.stringify(address)}`);
}

/** A non-negative integer amount string; empty means `empty` (undefined: required). */
export function parseAmount(s: string, field: string, empty?: bigint): bigint {
  if (s === '' && empty !== undefined) return empty;
  if (!/^[0-9]{1,40}$/.test(s)) throw ErrInvalidAmount(`${field} must be a non-negative integer amount, got ${JSON.stringify(s)}`);
  return BigInt(s);
}

function optionalAmount(s: string, field: string): bigint | undefined {
  return s === '' ? undefined : parseAmount(s, field);
}

function requirePositive(n: number, field: string, err = ErrInvalidDeal): void {
  if (!Number.isSafeInteger(n) || n <= 0) throw err(`${field} must be a positive integer, got ${n}`);
}

export function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw ErrInvalidEndpoint(`endpoint ${JSON.stringify(endpoint.slice(0, MAX_ENDPOINT))} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw ErrInvalidEndpoint(`endpoint must be http(s), got ${url.protocol}`);
  if (endpoint.length > MAX_ENDPOINT) throw ErrInvalidEndpoint(`endpoint is longer than ${MAX_ENDPOINT} characters`);
}

export function checkCid(cid: string): string {
  const parsed = parseRootCid(cid);
  if ('error' in parsed) throw ErrInvalidCid(parsed.error);
  return parsed.cid;
}

const response = (typeUrl: string, value: Uint8Array): MsgResponse => ({ typeUrl: `${typeUrl}Response`, value });

function handler<K extends keyof typeof MARKET_MSG_TYPES, M = ReturnType<(typeof MARKET_MSG_TYPES)[K]['decode']>>(
  typeUrl: K,
  signer: (msg: M) => string,
  validate: (msg: M) => void,
  execute: MsgHandler<M>['execute'],
): MsgHandler<M> {
  const type = MARKET_MSG_TYPES[typeUrl];
  return { typeUrl, decode: (bytes) => type.decode(bytes) as M, signers: (msg) => [signer(msg)], validate, execute };
}

export function marketMsgHandlers(keeper: MarketKeeper): MsgHandler[] {
  return [
    handler(
      '/trucom.market.v1.MsgRegisterProvider',
      (m) => m.provider,
      (m) => {
        requireAddress(m.provider, 'provider');
        checkEndpoint(m.endpoint);
        requirePositive(m.capacity, 'capacity', ErrInvalidCapacity);
        parseAmount(m.price, 'price');
        parseAmount(m.bandwidthPrice, 'bandwidth_price');
        parseAmount(m.collateral, 'collateral');
      },
      (ctx, m) => {
        registerProvider(keeper, ctx, {
          address: m.provider,
          endpoint: m.endpoint,
          capacity: m.capacity,
          price: parseAmount(m.price, 'price'),
          bandwidthPrice: parseAmount(m.bandwidthPrice, 'bandwidth_price'),
          collateral: parseAmount(m.collateral, 'collateral'),
        });
        return response('/trucom.market.v1.MsgRegisterProvider', pb.MsgRegisterProviderResponse.encode({}).finish());
      },
    ),
    handler(
      '/trucom.market.v1.MsgUpdateProvider',
      (m) => m.provider,
      (m) => {
        requireAddress(m.provider, 'provider');
        if (m.endpoint) checkEndpoint(m.endpoint);
        if (m.capacity) requirePositive(m.capacity, 'capacity', ErrInvalidCapacity);
        optionalAmount(m.price, 'price');
        optionalAmount(m.bandwidthPrice, 'bandwidth_price');
        optionalAmount(m.addCollateral, 'add_collateral');
      },
      (ctx, m) => {
        updateProvider(keeper, ctx, {
          address: m.provider,
          endpoint: m.endpoint || undefined,
          capacity: m.capacity || undefined,
          price: optionalAmount(m.price, 'price'),
          bandwidthPrice: optionalAmount(m.bandwidthPrice, 'bandwidth_price'),
          addCollateral: optionalAmount(m.addCollateral, 'add_collateral'),
        });
        return response('/trucom.market.v1.MsgUpdateProvider', pb.MsgUpdateProviderResponse.encode({}).finish());
      },
    ),
    handler(
      '/trucom.market.v1.MsgExitProvider',
      (m) => m.provider,
      (m) => requireAddress(m.provider, 'provider'),
      (ctx, m) => {
        const returned = exitProvider(keeper, ctx, m.provider);
        return response('/trucom.market.v1.MsgExitProvider', pb.MsgExitProviderResponse.encode({ returned: returned.toString() }).finish());
      },
    ),
    handler(
      '/trucom.market.v1.MsgCreateDeal',
      (m) => m.owner,
      (m) => {
        requireAddress(m.owner, 'owner');
        checkCid(m.cid);
        requirePositive(m.size, 'size');
        if (!DEAL_KINDS.includes(m.kind as DealKind)) throw ErrInvalidKind(`kind must be one of ${DEAL_KINDS.join('|')}, got ${JSON.stringify(m.kind)}`);
        requirePositive(m.duration, 'duration');
        parseAmount(m.maxPrice, 'max_price');
        parseAmount(m.bandwidthBudget, 'bandwidth_budget', 0n);
      },
      (ctx, m) => {
        const deal = createDeal(keeper, ctx, {
          owner: m.owner,
          cid: checkCid(m.cid),
          size: m.size,
          profile: m.profile,
          kind: m.kind as DealKind,
          replicas: m.replicas,
          duration: m.duration,
          maxPrice: parseAmount(m.maxPrice, 'max_price'),
          bandwidthBudget: parseAmount(m.bandwidthBudget, 'bandwidth_budget', 0n),
        });
        return response(
          '/trucom.market.v1.MsgCreateDeal',
          pb.MsgCreateDealResponse.encode({
            dealId: deal.id,
            providers: deal.replicas.map((r) => r.provider),
            escrow: deal.escrow.toString(),
            startEpoch: deal.startEpoch,
            fundedUntilEpoch: deal.fundedUntilEpoch,
          }).finish(),
        );
      },
    ),
    handler(
      '/trucom.market.v1.MsgTopUpDeal',
      (m) => m.owner,
      (m) => {
        requireAddress(m.owner, 'owner');
        if (parseAmount(m.bandwidth, 'bandwidth') === 0n) throw ErrInvalidAmount('bandwidth must be positive');
      },
      (ctx, m) => {
        const deal = topUpDeal(keeper, ctx, m.owner, m.dealId, parseAmount(m.bandwidth, 'bandwidth'));
        return response('/trucom.market.v1.MsgTopUpDeal', pb.MsgTopUpDealResponse.encode({ escrow: deal.escrow.toString() }).finish());
      },
    ),
    handler(
      '/trucom.market.v1.MsgExtendDeal',
      (m) => m.owner,
      (m) => {
        requireAddress(m.owner, 'owner');
        requirePositive(m.epochs, 'epochs');
      },
      (ctx, m) => {
        const deal = extendDeal(keeper, ctx, m.owner, m.dealId, m.epochs);
        return response('/trucom.market.v1.MsgExtendDeal', pb.MsgExtendDealResponse.encode({ fundedUntilEpoch: deal.fundedUntilEpoch, escrow: deal.escrow.toString() }).finish());
      },
    ),
    handler(
      '/trucom.market.v1.MsgCancelDeal',
      (m) => m.owner,
      (m) => requireAddress(m.owner, 'owner'),
      (ctx, m) => {
        const refund = cancelDeal(keeper, ctx, m.owner, m.dealId);
        return response('/trucom.market.v1.MsgCancelDeal', pb.MsgCancelDealResponse.encode({ refund: refund.toString() }).finish());
      },
    ),
    handler(
      '/trucom.market.v1.MsgProveStorage',
      (m) => m.provider,
      (m) => {
        requireAddress(m.provider, 'provider');
        if (m.blocks.length === 0) throw ErrInvalidDeal('a storage proof needs at least one block');
      },
      (ctx, m) => {
        proveStorage(keeper, ctx, { provider: m.provider, dealId: m.dealId, epoch: m.epoch, blocks: m.blocks });
        return response('/trucom.market.v1.MsgProveStorage', pb.MsgProveStorageResponse.encode({}).finish());
      },
    ),
    handler(
      '/trucom.market.v1.MsgClaimBandwidth',
      (m) => m.provider,
      (m) => {
        requireAddress(m.provider, 'provider');
        requirePositive(m.bytes, 'bytes', ErrInvalidAmount);
        requirePositive(m.period, 'period', ErrInvalidAmount);
      },
      (ctx, m) => {
        const { paid, remaining } = claimBandwidth(keeper, ctx, { provider: m.provider, dealId: m.dealId, bytes: m.bytes, period: m.period });
        return response('/trucom.market.v1.MsgClaimBandwidth', pb.MsgClaimBandwidthResponse.encode({ paid: paid.toString(), remaining: remaining.toString() }).finish());
      },
    ),
  ];
}
