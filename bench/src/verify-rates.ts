/**
 * secp256k1 verifications per second on one core, by each path side by side: libsecp256k1 (what
 * the node uses), OpenSSL and pure JS. This VM's speed drifts a lot, so the transaction benchmarks
 * print these with their figures as a measure of how fast the machine was at that moment.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { secp256k1Backend, secp256k1PublicKey, sha256, signSecp256k1, utf8, verifySecp256k1, verifyWithOpenSSL } from '@trucom/crypto';

export function verifyRates() {
  const key = sha256(utf8('verify-rate'));
  const pub = secp256k1PublicKey(key);
  const msg = utf8('x'.repeat(200));
  const sig = signSecp256k1(key, msg);
  const rate = (fn: () => void, n: number) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) fn();
    return Math.round(n / ((performance.now() - t) / 1000));
  };
  return {
    node_backend: secp256k1Backend,
    libsecp256k1: secp256k1Backend === 'libsecp256k1' ? rate(() => verifySecp256k1(pub, msg, sig), 5000) : null,
    openssl: rate(() => verifyWithOpenSSL(pub, msg, sig), 2000),
    pure_js: rate(() => secp256k1.verify(sig, sha256(msg), pub, { prehash: false }), 300),
  };
}
