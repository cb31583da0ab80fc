import { parentPort } from 'node:worker_threads';
import { verifySecp256k1 } from '@trucom/crypto';
import type { SignatureCheck } from './signatures.js';

parentPort!.on('message', ({ id, checks }: { id: number; checks: SignatureCheck[] }) => {
  parentPort!.postMessage({ id, results: checks.map((c) => verifySecp256k1(c.publicKey, c.signBytes, c.signature)) });
});
