import { HttpException } from '@nestjs/common';
import { ErrPanic, type ChainNode } from '@trucom/chain';
import { toBase64 } from '@trucom/crypto';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';

/** gRPC status codes as grpc-gateway puts them in Cosmos REST error bodies. */
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_NOT_FOUND = 5;
const GRPC_INTERNAL = 13;

/** A Cosmos REST (grpc-gateway) error body: {code, message, details}. */
export function lcdError(status: number, grpcCode: number, message: string): HttpException {
  return new HttpException({ code: grpcCode, message, details: [] }, status);
}

/** Runs a gRPC query through the application, as grpc-gateway does, mapping failures to HTTP. */
export async function lcdQuery<T>(node: ChainNode, path: string, request: Uint8Array, decode: (b: Uint8Array) => T): Promise<T> {
  const r = await node.app.query(path, request, node.nextBlockInfo());
  if (r.code === 0) return decode(r.value);
  if (r.code === 22 || r.code === 38) throw lcdError(404, GRPC_NOT_FOUND, r.log.replace(/^rpc error: code = NotFound desc = /, ''));
  if (r.code === ErrPanic.code) throw lcdError(500, GRPC_INTERNAL, r.log);
  throw lcdError(400, GRPC_INVALID_ARGUMENT, r.log); // every other SDK error is about the request

}

/** An Any holding a BaseAccount, in the proto3 JSON shape the Cosmos REST API returns. */
export function accountJson(any: { typeUrl: string; value: Uint8Array }) {
  const a = BaseAccount.decode(any.value);
  return {
    '@type': any.typeUrl,
    address: a.address,
    pub_key: a.pubKey ? { '@type': a.pubKey.typeUrl, key: toBase64(PubKey.decode(a.pubKey.value).key) } : null,
    account_number: a.accountNumber.toString(),
    sequence: a.sequence.toString(),
  };
}

export function pagination(total: number) {
  return { next_key: null, total: String(total) };
}
