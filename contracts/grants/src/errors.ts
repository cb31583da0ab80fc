import { registerError } from '@trucom/chain';

/** Errors of the content-key grants (codespace "grants"); codes are stable. */
const e = (code: number, description: string) => registerError('grants', code, description);
export const ErrInvalidContentId = e(2, 'invalid content id');
export const ErrContentExists = e(3, 'content already registered');
export const ErrUnknownContent = e(4, 'content not found');
export const ErrNotContentOwner = e(5, 'not the content owner');
export const ErrUnknownDeal = e(6, 'deal not found');
export const ErrNotDealOwner = e(7, 'deal not owned by the content owner');
export const ErrDealNotActive = e(8, 'deal is not active');
export const ErrInvalidKeyId = e(9, 'invalid key id');
export const ErrUnknownKeyId = e(10, 'key id not declared by the content');
export const ErrNotProvider = e(11, 'not a registered storage provider');
export const ErrInvalidHolderKey = e(12, 'invalid X25519 public key');
export const ErrNoHolderKey = e(13, 'holder has no key-holder key');
export const ErrInvalidSealedKey = e(14, 'sealed key has the wrong size');
export const ErrInvalidKeys = e(15, 'invalid content key list');
export const ErrInvalidExpiry = e(16, 'expiry is not in the future');
export const ErrGrantNotFound = e(17, 'grant not found');
export const ErrAlreadyRevoked = e(18, 'grant already revoked');
export const ErrContentHasDeal = e(19, 'content already has a deal');
