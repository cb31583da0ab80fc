import { isValidAddress } from '@trucom/crypto';
import { ErrInvalidAddress, type Context, type MsgHandler } from '@trucom/chain';
import { trucom } from '@trucom/proto';
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

/** Register and update take the same fields: (owner, name, root CID, deal). */
function siteHandler<T extends 'MsgRegisterSite' | 'MsgUpdateSite'>(type: T, apply: (ctx: Context, m: trucom.sites.v1.MsgRegisterSite) => void): MsgHandler<trucom.sites.v1.MsgRegisterSite> {
  const codec = pb[type];
  return {
    typeUrl: `/trucom.sites.v1.${type}`,
    decode: (bytes) => codec.decode(bytes),
    signers: (msg) => [msg.owner],
    validate(msg) {
      requireAddress(msg.owner, 'owner');
      checkSiteName(msg.name);
      checkRootCid(msg.rootCid);
    },
    execute(ctx, msg) {
      apply(ctx, msg);
      return { typeUrl: `/trucom.sites.v1.${type}Response`, value: new Uint8Array() };
    },
  };
}

export function sitesMsgHandlers(keeper: SitesKeeper): MsgHandler[] {
  const register = siteHandler('MsgRegisterSite', (ctx, m) => keeper.register(ctx, m.owner, m.name, m.rootCid, m.dealId));
  const update = siteHandler('MsgUpdateSite', (ctx, m) => keeper.update(ctx, m.owner, m.name, m.rootCid, m.dealId));
  const transfer: MsgHandler<trucom.sites.v1.MsgTransferSite> = {
    typeUrl: '/trucom.sites.v1.MsgTransferSite',
    decode: (bytes) => pb.MsgTransferSite.decode(bytes),
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
