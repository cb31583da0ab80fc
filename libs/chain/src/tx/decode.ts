import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import protobuf from 'protobufjs/minimal.js';

const { Writer } = protobuf;
import { sha256, toUpperHex } from '@trucom/crypto';
import { ErrTxDecode } from '../errors.js';

/** A transaction in the Cosmos SDK format, decoded once and carried with its exact received bytes. */
export interface DecodedTx {
  readonly raw: Uint8Array;
  /** SHA-256 of the exact received bytes (CometBFT's tx hash); never of a re-encoding. */
  readonly hash: Uint8Array;
  readonly hashHex: string;
  readonly bodyBytes: Uint8Array;
  readonly authInfoBytes: Uint8Array;
  readonly body: TxBody;
  readonly authInfo: AuthInfo;
  readonly signatures: Uint8Array[];
  readonly messages: Any[];
}

/** `hash` may be passed when the caller already computed SHA-256 of exactly these bytes. */
export function decodeTx(raw: Uint8Array, hash: Uint8Array = sha256(raw)): DecodedTx {
  let txRaw: TxRaw, body: TxBody, authInfo: AuthInfo;
  try {
    txRaw = TxRaw.decode(raw);
    body = TxBody.decode(txRaw.bodyBytes);
    authInfo = AuthInfo.decode(txRaw.authInfoBytes);
  } catch (err) {
    throw ErrTxDecode(`cannot decode tx: ${(err as Error).message}`);
  }
  if (txRaw.bodyBytes.length === 0) throw ErrTxDecode('tx has no body');
  if (body.messages.length === 0) throw ErrTxDecode('tx has no messages');
  return {
    raw,
    hash,
    hashHex: toUpperHex(hash),
    bodyBytes: txRaw.bodyBytes,
    authInfoBytes: txRaw.authInfoBytes,
    body,
    authInfo,
    signatures: txRaw.signatures,
    messages: body.messages,
  };
}

const signBytesMemo = new WeakMap<object, { chainId: string; accountNumber: bigint; bytes: Uint8Array }>();

/**
 * The bytes a signer signs under SIGN_MODE_DIRECT (cosmos.tx.v1beta1.SignDoc): they bind the chain
 * id and the account number. SignDoc's proto3 rules apply (fields in order, zero values omitted).
 * A tx needs them to find its verified signature at admission, at every recheck and in its block, so
 * the last encoding is remembered per tx object (a single-signer tx, the common case, hits it).
 */
export function directSignBytes(tx: Pick<DecodedTx, 'bodyBytes' | 'authInfoBytes'>, chainId: string, accountNumber: bigint): Uint8Array {
  const known = signBytesMemo.get(tx);
  if (known && known.chainId === chainId && known.accountNumber === accountNumber) return known.bytes;
  const bytes = encodeSignDoc(tx, chainId, accountNumber);
  signBytesMemo.set(tx, { chainId, accountNumber, bytes });
  return bytes;
}

function encodeSignDoc(tx: Pick<DecodedTx, 'bodyBytes' | 'authInfoBytes'>, chainId: string, accountNumber: bigint): Uint8Array {
  const w = Writer.create();
  if (tx.bodyBytes.length) w.uint32(10).bytes(tx.bodyBytes);
  if (tx.authInfoBytes.length) w.uint32(18).bytes(tx.authInfoBytes);
  if (chainId) w.uint32(26).string(chainId);
  if (accountNumber !== 0n) w.uint32(32).uint64(accountNumber.toString());
  return w.finish();
}

/** Reference encoding through cosmjs-types, for tests that pin directSignBytes to it. */
export function directSignBytesReference(tx: Pick<DecodedTx, 'bodyBytes' | 'authInfoBytes'>, chainId: string, accountNumber: bigint): Uint8Array {
  return SignDoc.encode({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, chainId, accountNumber }).finish();
}
