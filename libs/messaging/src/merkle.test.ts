import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { merkleBatch, rootFromProof } from './merkle.js';

const id = (i: number) => createHash('sha256').update(`m${i}`).digest('hex');
const h = (...parts: (string | number[])[]) => {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(typeof p === 'string' ? Buffer.from(p, 'hex') : Buffer.from(p));
  return hash.digest('hex');
};

describe('Merkle tree (RFC 6962) of message ids', () => {
  test('the root matches RFC 6962 for 1, 2 and 3 leaves', () => {
    assert.equal(merkleBatch([id(0)]).root, h([0], id(0)));
    assert.equal(merkleBatch([id(0), id(1)]).root, h([1], h([0], id(0)), h([0], id(1))));
    assert.equal(merkleBatch([id(0), id(1), id(2)]).root, h([1], h([1], h([0], id(0)), h([0], id(1))), h([0], id(2))));
  });

  test('every proof of every tree size 1..40 leads to the root; send order matters', () => {
    for (let n = 1; n <= 40; n++) {
      const ids = Array.from({ length: n }, (_, i) => id(i));
      const { root, proofs } = merkleBatch(ids);
      proofs.forEach((p, i) => assert.equal(rootFromProof(ids[i]!, p), root, `leaf ${i} of ${n}`));
      if (n > 1) assert.notEqual(merkleBatch([...ids].reverse()).root, root);
    }
  });

  test('another message, another index, a changed path or size do not lead to the root', () => {
    const ids = Array.from({ length: 13 }, (_, i) => id(i));
    const { root, proofs } = merkleBatch(ids);
    const p = proofs[5]!;
    assert.notEqual(rootFromProof(id(99), p), root);
    assert.notEqual(rootFromProof(ids[5]!, { ...p, index: 4 }), root);
    assert.notEqual(rootFromProof(ids[5]!, { ...p, path: [id(1), ...p.path.slice(1)] }), root);
    assert.throws(() => rootFromProof(ids[5]!, { ...p, size: 100 }), /malformed proof/);
    assert.throws(() => rootFromProof(ids[5]!, { ...p, path: p.path.slice(1) }), /malformed proof/);
    assert.throws(() => rootFromProof(ids[5]!, { ...p, index: 13 }), /malformed proof/);
  });
});
