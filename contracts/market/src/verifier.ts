/**
 * The storage-proof check the keeper runs (`verifyStorageProof` of `@trucom/content`): pure and
 * synchronous. Injected by the app so the market module has no content dependency of its own.
 */
export type StorageProofResult = { ok: true; leaf: string; depth: number } | { ok: false; reason: string };
export type StorageProofVerifier = (root: string, seed: Uint8Array, blocks: readonly Uint8Array[]) => StorageProofResult;
