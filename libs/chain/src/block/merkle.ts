import { sha256 } from '@trucom/crypto';

/**
 * CometBFT's simple Merkle tree (RFC 6962 with its domain separation): the root over a list of byte
 * strings, used for header, data and results hashes so the shapes match what Cosmos tooling expects.
 */
const LEAF = Uint8Array.of(0);
const INNER = Uint8Array.of(1);

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function merkleRoot(items: readonly Uint8Array[]): Uint8Array {
  if (items.length === 0) return sha256();
  if (items.length === 1) return sha256(LEAF, items[0]!);
  const k = splitPoint(items.length);
  return sha256(INNER, merkleRoot(items.slice(0, k)), merkleRoot(items.slice(k)));
}
