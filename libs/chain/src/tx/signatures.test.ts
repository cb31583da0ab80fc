import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, secp256k1PublicKey, sha256, signSecp256k1, utf8 } from '@trucom/crypto';
import { inlineVerifier, packChecks, SignatureCache, unpackChecks, WorkerPoolVerifier, type BatchVerifier, type SignatureCheck } from './signatures.js';

const PRIV = sha256(utf8('signatures test key'));
const PUB = secp256k1PublicKey(PRIV);

function check(i: number, valid = true): SignatureCheck {
  const signBytes = utf8(`sign bytes ${i}`);
  const signature = signSecp256k1(PRIV, valid ? signBytes : utf8('something else'));
  return { publicKey: PUB, signBytes, signature };
}

/** Counts how many signatures reach the underlying verifier. */
function counting(inner: BatchVerifier): BatchVerifier & { verified: number } {
  const v = {
    verified: 0,
    async verifyBatch(checks: readonly SignatureCheck[]) {
      v.verified += checks.length;
      return inner.verifyBatch(checks);
    },
    close: () => inner.close(),
  };
  return v;
}

describe('inlineVerifier', () => {
  test('verifies each check in order', async () => {
    assert.deepEqual(await inlineVerifier.verifyBatch([check(1), check(2, false), check(3)]), [true, false, true]);
    assert.deepEqual(await inlineVerifier.verifyBatch([]), []);
  });
});

describe('WorkerPoolVerifier', () => {
  test('verifies batches in worker threads, results in input order', async () => {
    const pool = new WorkerPoolVerifier(2);
    try {
      const checks = Array.from({ length: 25 }, (_, i) => check(i, i % 3 !== 0));
      assert.deepEqual(await pool.verifyBatch(checks), checks.map((_, i) => i % 3 !== 0));
      // Two batches in the same tick are flushed together and both resolve.
      const [a, b] = await Promise.all([pool.verifyBatch([check(100)]), pool.verifyBatch([check(101, false), check(102)])]);
      assert.deepEqual(a, [true]);
      assert.deepEqual(b, [false, true]);
      // Malformed input is a failed check, not a crash.
      assert.deepEqual(await pool.verifyBatch([{ publicKey: new Uint8Array(3), signBytes: utf8('x'), signature: new Uint8Array(64) }]), [false]);
    } finally {
      await pool.close();
    }
  });
});

describe('WorkerPoolVerifier queue', () => {
  test('urgent checks overtake queued ones; a check asked for twice is one job with both answers', async () => {
    const pool = new WorkerPoolVerifier(1);
    try {
      const order: string[] = [];
      const backlog = Array.from({ length: 1500 }, (_, i) => check(1000 + i));
      const queued = pool.verifyBatch(backlog).then(() => order.push('backlog'));
      await new Promise((r) => setImmediate(r)); // the first batches are handed to the worker
      const last = backlog.at(-1)!;
      const urgent = pool.verifyBatch([check(1), last, check(2, false)], { urgent: true }).then((r) => (order.push('urgent'), r));
      assert.deepEqual(await urgent, [true, true, false]);
      await queued;
      assert.deepEqual(order, ['urgent', 'backlog'], 'the block did not wait for the whole backlog');
    } finally {
      await pool.close();
    }
  });
});

describe('SignatureCache', () => {
  test('prefetch verifies each distinct check once; verify then answers from the cache', async () => {
    const batch = counting(inlineVerifier);
    const cache = new SignatureCache(batch);
    await cache.prefetch([check(1), check(2, false)]);
    assert.equal(batch.verified, 2);
    await cache.prefetch([check(1), check(2, false)]);
    assert.equal(batch.verified, 2, 'known results are not verified again');
    const c1 = check(1);
    const c2 = check(2, false);
    assert.equal(cache.verify(c1.publicKey, c1.signBytes, c1.signature), true);
    assert.equal(cache.verify(c2.publicKey, c2.signBytes, c2.signature), false);
  });

  test('forgotten signatures are verified again', async () => {
    const batch = counting(inlineVerifier);
    const cache = new SignatureCache(batch);
    const [c1, c2] = [check(1), check(2)];
    await cache.prefetch([c1, c2]);
    cache.forget([c1.signature]);
    await cache.prefetch([c1, c2]);
    assert.equal(batch.verified, 3, 'only the forgotten one went back to the verifier');
  });

  test('verify without a prefetch verifies inline', () => {
    const cache = new SignatureCache({
      verifyBatch: () => Promise.reject(new Error('not used')),
      close: async () => {},
    });
    const c = check(7);
    assert.equal(cache.verify(c.publicKey, c.signBytes, c.signature), true);
    assert.equal(cache.verify(c.publicKey, utf8('other'), c.signature), false);
  });

  test('a cached "true" never vouches for other bytes, keys or signatures', async () => {
    // A verifier that (wrongly) says yes to everything, to show the cache key covers all three parts.
    const yes: BatchVerifier = { verifyBatch: async (checks) => checks.map(() => true), close: async () => {} };
    const cache = new SignatureCache(yes);
    const c = check(9);
    await cache.prefetch([c]);
    assert.equal(cache.verify(c.publicKey, c.signBytes, c.signature), true);
    const otherKey = secp256k1PublicKey(fromHex('01'.repeat(32)));
    assert.equal(cache.verify(otherKey, c.signBytes, c.signature), false);
    assert.equal(cache.verify(c.publicKey, utf8('tampered'), c.signature), false);
    const sig = c.signature.slice();
    sig[5] = sig[5]! ^ 1;
    assert.equal(cache.verify(c.publicKey, c.signBytes, sig), false);
  });
});

describe('packChecks / unpackChecks (worker transfer format)', () => {
  test('round-trip checks of any sizes, including views into larger buffers', () => {
    const backing = new Uint8Array(1000).map((_, i) => i & 0xff);
    const checks: SignatureCheck[] = [
      check(1),
      { publicKey: new Uint8Array(), signBytes: new Uint8Array(), signature: new Uint8Array() },
      { publicKey: backing.subarray(3, 36), signBytes: backing.subarray(100, 900), signature: backing.subarray(5, 69) },
      { publicKey: PUB, signBytes: new Uint8Array(70_000).fill(9), signature: new Uint8Array(64).fill(1) },
    ];
    const unpacked = unpackChecks(packChecks(checks));
    assert.equal(unpacked.length, checks.length);
    unpacked.forEach((c, i) => {
      assert.deepEqual(new Uint8Array(c.publicKey), new Uint8Array(checks[i]!.publicKey));
      assert.deepEqual(new Uint8Array(c.signBytes), new Uint8Array(checks[i]!.signBytes));
      assert.deepEqual(new Uint8Array(c.signature), new Uint8Array(checks[i]!.signature));
    });
    assert.deepEqual(unpackChecks(packChecks([])), []);
  });

  test('the packed buffer is exactly the payload (nothing else is transferred)', () => {
    const packed = packChecks([check(1)]);
    assert.equal(packed.byteOffset, 0);
    assert.equal(packed.buffer.byteLength, packed.length);
    assert.equal(packed.length, 1 + 33 + 4 + utf8('sign bytes 1').length + 1 + 64);
  });
});
