import { registerError } from '@trucom/chain';

/** Errors of the anchors module (codespace "anchors"); codes are stable. */
const e = (code: number, description: string) => registerError('anchors', code, description);
export const ErrInvalidRoot = e(2, 'invalid Merkle root');
export const ErrInvalidCount = e(3, 'invalid message count');
export const ErrInvalidNamespace = e(4, 'invalid namespace');
export const ErrDuplicateAnchor = e(5, 'root already anchored in this namespace');
