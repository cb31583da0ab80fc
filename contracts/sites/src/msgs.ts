import { isValidAddress } from '@trucom/crypto';
import { ErrInvalidAddress, type MsgHandler } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { withNumbers } from '@trucom/market';
import { checkRootCid, checkSiteName, type SitesKeeper } from './keeper.js';

const pb = trucom.sites.v1;

export const SITES_MSG_TYPES = {
  '/trucom.sites.v1.MsgRegisterSite': pb.MsgRegisterSite,
  '/trucom.sites.v1.MsgUpdateSite': pb.MsgUpdateSite,
  '/trucom.sites.v1.MsgTransferSite': pb.MsgTransferSite,
} as const;

/** [typeUrl, protobufjs class] pairs for a cosmjs Registry. */
export const sitesRegistryTypes = Object.entries(SITES_MSG_TYPES) as [string, (typeof SITES_MSG_TYPES)[keyof typeof SITES_MSG_TYPES]][];

function requireAddress(address: string, field: string): void {
  if (!isValidAddress(address)) throw ErrInvalidAddress(`invalid ${field} address ${JSON.stringify(address)}`);
}

export function sitesMsgHandlers(keeper: SitesKeeper): MsgHandler[] {
  const register: MsgHandler<trucom.sites.v1.MsgRegisterSite> = {
    typeUrl: '/trucom.sites.v1.MsgRegisterSite',
    decode: (bytes) => withNumbers(pb.MsgRegisterSite.decode(bytes)),
    signers: (msg) => [msg.owner],
    validate(msg) {
      requireAddress(msg.owner, 'owner');
      checkSiteName(msg.name);
      checkRootCid(msg.rootCid);
    },
    execute(ctx, msg) {
      keeper.register(ctx, msg.owner, msg.name, msg.rootCid, msg.dealId);
      return { typeUrl: '/trucom.sites.v1.MsgRegisterSiteResponse', value: pb.MsgRegisterSiteResponse.encode({}).finish() };
    },
  };
  const update: MsgHandler<trucom.sites.v1.MsgUpdateSite> = {
    typeUrl: '/trucom.sites.v1.MsgUpdateSite',
    decode: (bytes) => withNumbers(pb.MsgUpdateSite.decode(bytes)),
    signers: (msg) => [msg.owner],
    validate(msg) {
      requireAddress(msg.owner, 'owner');
      checkSiteName(msg.name);
      checkRootCid(msg.rootCid);
    },
    execute(ctx, msg) {
      keeper.update(ctx, msg.owner, msg.name, msg.rootCid, msg.dealId);
      return { typeUrl: '/trucom.sites.v1.MsgUpdateSiteResponse', value: pb.MsgUpdateSiteResponse.encode({}).finish() };
    },
  };
  const transfer: MsgHandler<trucom.sites.v1.MsgTransferSite> = {
    typeUrl: '/trucom.sites.v1.MsgTransferSite',
    decode: (bytes) => withNumbers(pb.MsgTransferSite.decode(bytes)),
    signers: (msg) => [msg.owner],
    validate(msg) {
      requireAddress(msg.owner, 'owner');
      requireAddress(msg.newOwner, 'new owner');
      checkSiteName(msg.name);
    },
    execute(ctx, msg) {
      keeper.transfer(ctx, msg.owner, msg.name, msg.newOwner);
      return { typeUrl: '/trucom.sites.v1.MsgTransferSiteResponse', value: pb.MsgTransferSiteResponse.encode({}).finish() };
    },
  };
  return [register, update, transfer];
}
