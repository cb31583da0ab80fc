import { sha256 } from '@trucom/crypto';

/**
 * CometBFT's simple Merkle tree (RFC 6962 with its domain separation): the root over a list of byte
 * strings, used for header, data and results hashes so the shapes match what Cosmos tooling expects.
 * Each node is hashed in one shot over a buffer holding its prefix byte and content.
 */
export function merkleRoot(items: readonly Uint8Array[]): Uint8Array {
  if (items.length === 0) return sha256();
  return subtree(items, 0, items.length);
}

function subtree(items: readonly Uint8Array[], from: number, to: number): Uint8Array {
  const n = to - from;
  if (n === 1) {
    const item = items[from]!;
    const leaf = Buffer.allocUnsafe(1 + item.length);
    leaf[0] = 0;
    leaf.set(item, 1);
    return sha256(leaf);
  }
  const k = splitPoint(n);
  const left = subtree(items, from, from + k);
  const right = subtree(items, from + k, to);
  const inner = Buffer.allocUnsafe(1 + left.length + right.length);
  inner[0] = 1;
  inner.set(left, 1);
  inner.set(right, 1 + left.length);
  return sha256(inner);
}

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
