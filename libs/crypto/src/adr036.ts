import { makeSignDoc, serializeSignDoc, type StdSignature, type StdSignDoc } from '@cosmjs/amino';
import { accountAddress } from './address.js';
import { fromBase64, toBase64 } from './bytes.js';
import { secp256k1PublicKey, signSecp256k1, verifySecp256k1 } from './secp256k1.js';

/**
 * ADR-036 arbitrary-data signatures: what Keplr's `signArbitrary(chainId, signer, data)` returns.
 * The data travels as a `sign/MsgSignData` message in an amino sign doc with an empty chain id, zero
 * account number and sequence and no fee, so the signature can never be replayed as a transaction.
 */
export function adr036SignDoc(signer: string, data: string | Uint8Array): StdSignDoc {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const msg = { type: 'sign/MsgSignData', value: { signer, data: toBase64(bytes) } };
  return makeSignDoc([msg], { gas: '0', amount: [] }, '', '', 0, 0);
}

/** Signs like Keplr's `signArbitrary` (for the CLI and tests; browsers use their wallet). */
export function signAdr036(privateKey: Uint8Array, data: string | Uint8Array): { signer: string; signature: StdSignature } {
  const publicKey = secp256k1PublicKey(privateKey);
  const signer = accountAddress(publicKey);
  const signature = signSecp256k1(privateKey, serializeSignDoc(adr036SignDoc(signer, data)));
  return { signer, signature: { pub_key: { type: 'tendermint/PubKeySecp256k1', value: toBase64(publicKey) }, signature: toBase64(signature) } };
}

/**
 * Why an ADR-036 signature does not hold, or undefined when `signer` signed `data`: the public key
 * must be a secp256k1 key that derives `signer`, and the signature must cover the sign doc.
 */
export function adr036Problem(signer: string, data: string | Uint8Array, signature: StdSignature): string | undefined {
  if (signature?.pub_key?.type !== 'tendermint/PubKeySecp256k1') return 'pub_key must be a tendermint/PubKeySecp256k1 key';
  let publicKey: Uint8Array;
  let sig: Uint8Array;
  try {
    publicKey = fromBase64(String(signature.pub_key.value));
    sig = fromBase64(signature.signature);
  } catch {
    return 'pub_key and signature must be base64';
  }
  if (publicKey.length !== 33) return 'pub_key must be a 33-byte compressed secp256k1 key';
  if (accountAddress(publicKey) !== signer) return `pub_key does not belong to ${signer}`;
  if (!verifySecp256k1(publicKey, serializeSignDoc(adr036SignDoc(signer, data)), sig)) return 'signature does not verify';
  return undefined;
}
