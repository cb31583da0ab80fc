import { registerError } from '@trucom/chain';

/** Errors of the site registry (codespace "sites"); codes are stable. */
const e = (code: number, description: string) => registerError('sites', code, description);
export const ErrInvalidName = e(2, 'invalid site name');
export const ErrNameTaken = e(3, 'site name already registered');
export const ErrUnknownSite = e(4, 'site not found');
export const ErrNotSiteOwner = e(5, 'not the site owner');
export const ErrUnknownDeal = e(6, 'deal not found');
export const ErrNotDealOwner = e(7, 'deal not owned by the site owner');
export const ErrCidMismatch = e(8, 'root CID does not match the deal');
export const ErrDealNotActive = e(9, 'deal is not active');
export const ErrInvalidCid = e(10, 'invalid CID');
export const ErrSameOwner = e(11, 'new owner is the current owner');
