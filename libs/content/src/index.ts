export * from './errors.js';
export { RAW_CODE, DAG_PB_CODE, SHA2_256_CODE, isSupportedCid, assertSupportedCid, blockMatches } from './block.js';
export {
  MAX_PROOF_DEPTH,
  MAX_PROOF_BLOCK_BYTES,
  MAX_PROOF_BYTES,
  buildStorageProof,
  verifyStorageProof,
  type StorageProofResult,
} from './storage-proof.js';
