import { hex, sha256Of, unhex } from './bytes.js';

/**
 * The Merkle tree of RFC 6962 §2.1 (Certificate Transparency) over message ids, in the order the
 * sender's client queued them (send order, not sorted): leaf = SHA-256(0x00 ‖ id), node =
 * SHA-256(0x01 ‖ left ‖ right), the left subtree holding the largest power of two below n leaves.
 * Inclusion proofs are RFC 6962 audit paths, verified as RFC 9162 §2.1.3.2 does.
 */
export interface InclusionProof {
  /** Root the proof leads to, hex. */
  readonly root: string;
  readonly index: number;
  readonly size: number;
  /** Audit path, bottom up, hex. */
  readonly path: readonly string[];
}

const leafHash = (id: Uint8Array) => sha256Of(Uint8Array.of(0), id);
const nodeHash = (l: Uint8Array, r: Uint8Array) => sha256Of(Uint8Array.of(1), l, r);
const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

function mth(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

function path(index: number, leaves: readonly Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return index < k ? [...path(index, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(index - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

/** Root and one proof per id of a batch of 32-byte message ids (hex). */
export function merkleBatch(ids: readonly string[]): { root: string; proofs: InclusionProof[] } {
  if (ids.length === 0) throw new Error('a Merkle batch needs at least one message id');
  const leaves = ids.map((id) => leafHash(unhex(id, 32, 'message id')));
  const root = hex(mth(leaves));
  return { root, proofs: leaves.map((_, index) => ({ root, index, size: leaves.length, path: path(index, leaves).map(hex) })) };
}

/** The root an id and its audit path lead to (throws on a malformed proof). */
export function rootFromProof(id: string, proof: Pick<InclusionProof, 'index' | 'size' | 'path'>): string {
  const { index, size } = proof;
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) throw new Error(`malformed proof: leaf ${index} of ${size}`);
  let fn = index;
  let sn = size - 1;
  let r = leafHash(unhex(id, 32, 'message id'));
  for (const p of proof.path) {
    const h = unhex(p, 32, 'proof node');
    if (sn === 0) throw new Error('malformed proof: longer than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(h, r);
      if (fn % 2 === 0) {
        do {
          fn >>= 1;
          sn >>= 1;
        } while (fn % 2 === 0 && fn !== 0);
      }
    } else r = nodeHash(r, h);
    fn >>= 1;
    sn >>= 1;
  }
  if (sn !== 0) throw new Error('malformed proof: shorter than the tree is deep');
  return hex(r);
}

export const merkleRootBytes = (root: string) => unhex(root, 32, 'Merkle root');
