export * from './errors.js';
export { RAW_CODE, DAG_PB_CODE, SHA2_256_CODE, MAX_BLOCK_BYTES, isSupportedCid, assertSupportedCid, blockMatches } from './block.js';
export { parseCid } from './cid.js';
export { CID_PROFILES, DEFAULT_PROFILE, isProfileName, profileByName, importerOptions, type CidProfile, type CidProfileName } from './profiles.js';
export { DiskBlockstore, getBlock, putVerified, type BlockStore, type BlockBytes } from './blockstore.js';
export { BlockCache, type BlockCacheOptions } from './block-cache.js';
export { Lru } from './lru.js';
export {
  importDirectory,
  importFile,
  normalizeImportPath,
  type ImportedContent,
  type ImportFileEntry,
  type ImportProgress,
} from './import.js';
export { importCar } from './import-car.js';
export { cidKey, dagCids } from './dag-cids.js';
export { parseContentPath, parseSubpath, formatContentPath, type ContentPath, type ContentSubpath } from './content-path.js';
export {
  resolvePath,
  resolveFile,
  type Resolved,
  type ResolvedFile,
  type ResolvedDirectory,
  type ResolvedNothing,
} from './resolve.js';
export { exportEntry, fileBytes, fileContent, directoryEntries, type DirectoryEntry } from './export.js';
export {
  CAR_CONTENT_TYPE,
  rawBlock,
  carBlocks,
  carStream,
  exportCar,
  readVerifiedCar,
  verifyCarBlocks,
  type Block,
  type ByteStream,
  type DagScope,
  type VerifiedCar,
} from './car.js';
export {
  MAX_PROOF_DEPTH,
  MAX_PROOF_BLOCK_BYTES,
  MAX_PROOF_BYTES,
  buildStorageProof,
  verifyStorageProof,
  type StorageProofResult,
} from './storage-proof.js';
