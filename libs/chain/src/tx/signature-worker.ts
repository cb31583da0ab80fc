import { parentPort } from 'node:worker_threads';
import { verifySecp256k1 } from '@trucom/crypto';
import { unpackChecks } from './signatures.js';

parentPort!.on('message', ({ id, packed }: { id: number; packed: Uint8Array }) => {
  const results = Uint8Array.from(unpackChecks(packed), (c) => (verifySecp256k1(c.publicKey, c.signBytes, c.signature) ? 1 : 0));
  parentPort!.postMessage({ id, results }, [results.buffer as ArrayBuffer]);
});
