/** A JSON-RPC 2.0 error (CometBFT uses the standard codes, with details in `data`). */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: string,
  ) {
    super(message);
  }

  static parse(data: string) {
    return new RpcError(-32700, 'Parse error. Invalid JSON', data);
  }
  static invalidRequest(data: string) {
    return new RpcError(-32600, 'Invalid Request', data);
  }
  static methodNotFound(method: string) {
    return new RpcError(-32601, 'Method not found', `method ${JSON.stringify(method)} does not exist`);
  }
  static invalidParams(data: string) {
    return new RpcError(-32602, 'Invalid params', data);
  }
  static internal(data: string) {
    return new RpcError(-32603, 'Internal error', data);
  }
}
