/** Merkle roots are SHA-256 digests. */
export const ROOT_BYTES = 32;
/** Message ids one anchor may cover (declared, not verified: the count is informational). */
export const MAX_ANCHOR_COUNT = 16_777_216;
/** Namespaces separate users of anchors (e.g. "msg" for messaging): no "/", 1-64 characters. */
export const NAMESPACE = /^[A-Za-z0-9._:-]{1,64}$/;
export const MAX_NAMESPACE_LENGTH = 64;
