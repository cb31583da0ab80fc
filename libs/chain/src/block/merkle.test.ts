import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256, toHex } from '@trucom/crypto';
import { merkleRoot } from './merkle.js';

/** RFC 6962 as written: split at the largest power of two strictly below n. */
function reference(items: readonly Uint8Array[]): Uint8Array {
  if (items.length === 0) return sha256();
  if (items.length === 1) return sha256(Uint8Array.of(0), items[0]!);
  let k = 1;
  while (k << 1 < items.length) k <<= 1;
  return sha256(Uint8Array.of(1), reference(items.slice(0, k)), reference(items.slice(k)));
}

const b = (...xs: number[]) => Uint8Array.from(xs);

describe('merkleRoot (CometBFT simple Merkle tree)', () => {
  // CometBFT crypto/merkle/tree_test.go TestHashFromByteSlices.
  const vectors: [string, Uint8Array[], string][] = [
    ['empty', [], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['single', [b(1, 2, 3)], '054edec1d0211f624fed0cbca9d4f9400b0e491c43742af2c5b0abebf0c990d8'],
    ['single blank', [b()], '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'],
    ['two', [b(1, 2, 3), b(4, 5, 6)], '82e6cfce00453804379b53962939eaa7906b39904be0813fcadd31b100773c4b'],
    ['many', [b(1, 2), b(3, 4), b(5, 6), b(7, 8), b(9, 10)], 'f326493eceab4f2d9ffbc78c59432a0a005d6ea98392045c74df5d14a113be18'],
  ];
  for (const [name, items, root] of vectors) {
    test(`CometBFT vector: ${name}`, () => {
      assert.equal(toHex(merkleRoot(items)), root);
    });
  }

  test('leaf and inner hashes use the RFC 6962 domain separation', () => {
    const enc = new TextEncoder();
    // RFC 6962 / certificate-transparency test data: leaf hash of "L123456", node hash of "N123", "N456".
    assert.equal(toHex(merkleRoot([enc.encode('L123456')])), '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
    const [l, r] = [enc.encode('left'), enc.encode('right')];
    assert.deepEqual(merkleRoot([l, r]), sha256(Uint8Array.of(1), sha256(Uint8Array.of(0), l), sha256(Uint8Array.of(0), r)));
  });

  test('agrees with the reference for 0..40 items (unbalanced splits)', () => {
    const items = Array.from({ length: 40 }, (_, i) => sha256(Uint8Array.of(i)));
    for (let n = 0; n <= 40; n++) assert.deepEqual(merkleRoot(items.slice(0, n)), reference(items.slice(0, n)), `n = ${n}`);
  });

  test('three items split 2 + 1', () => {
    const items = [b(1), b(2), b(3)];
    const leaf = (x: Uint8Array) => sha256(Uint8Array.of(0), x);
    const inner = (x: Uint8Array, y: Uint8Array) => sha256(Uint8Array.of(1), x, y);
    assert.deepEqual(merkleRoot(items), inner(inner(leaf(items[0]!), leaf(items[1]!)), leaf(items[2]!)));
  });

  test('order matters and every item is bound', () => {
    const items = [b(1), b(2), b(3), b(4)];
    const root = merkleRoot(items);
    assert.notDeepEqual(merkleRoot([b(2), b(1), b(3), b(4)]), root);
    assert.notDeepEqual(merkleRoot([b(1), b(2), b(3), b(5)]), root);
    assert.notDeepEqual(merkleRoot([b(1), b(2), b(3)]), root);
    // A leaf cannot pose as an inner node (second-preimage resistance through the prefixes).
    const inner = sha256(Uint8Array.of(1), sha256(Uint8Array.of(0), b(1)), sha256(Uint8Array.of(0), b(2)));
    assert.notDeepEqual(merkleRoot([inner]), merkleRoot([b(1), b(2)]));
  });
});
