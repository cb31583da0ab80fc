import { registerError } from '@trucom/chain';

/** Errors of the hosting marketplace (codespace "market"); codes are stable. */
const e = (code: number, description: string) => registerError('market', code, description);
export const ErrInvalidCid = e(2, 'invalid CID');
export const ErrTooFewReplicas = e(3, 'replicas below the minimum');
export const ErrUnknownProfile = e(4, 'unknown CID profile');
export const ErrInvalidKind = e(5, 'invalid deal kind');
export const ErrInvalidDeal = e(6, 'invalid deal parameters');
export const ErrUnknownDeal = e(7, 'deal not found');
export const ErrNotDealOwner = e(8, 'not the deal owner');
export const ErrDealNotActive = e(9, 'deal is not active');
export const ErrNotEnoughProviders = e(10, 'not enough eligible providers');
export const ErrProviderExists = e(11, 'provider already registered');
export const ErrUnknownProvider = e(12, 'provider not found');
export const ErrProviderNotActive = e(13, 'provider is exiting or exited');
export const ErrInvalidEndpoint = e(14, 'invalid provider endpoint');
export const ErrCollateralTooLow = e(15, 'collateral below the minimum');
export const ErrInvalidAmount = e(16, 'invalid amount');
export const ErrWrongEpoch = e(17, 'wrong epoch');
export const ErrNotReplica = e(18, 'provider holds no replica of this deal');
export const ErrInvalidProof = e(19, 'storage proof invalid');
export const ErrAlreadyProven = e(20, 'replica already proven this epoch');
export const ErrClaimReplayed = e(21, 'bandwidth claim period already claimed');
export const ErrBudgetExhausted = e(22, 'bandwidth budget exhausted');
export const ErrInvalidCapacity = e(23, 'invalid capacity');
export const ErrTooManyReplicas = e(24, 'replicas above the maximum');
