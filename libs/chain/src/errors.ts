/**
 * Errors a transaction or query can end with. Codes and codespace match the Cosmos SDK's
 * registered errors (types/errors/errors.go) so wallets and explorers read them as usual.
 */
export class ChainError extends Error {
  override readonly name = 'ChainError';
  constructor(
    readonly codespace: string,
    readonly code: number,
    readonly description: string,
    detail?: string,
  ) {
    super(detail ? `${detail}: ${description}` : description);
  }
}

/** An error kind: call it with a detail to get a throwable ChainError. */
export interface ErrorKind {
  readonly codespace: string;
  readonly code: number;
  readonly description: string;
  (detail?: string): ChainError;
  is(err: unknown): boolean;
}

export function registerError(codespace: string, code: number, description: string): ErrorKind {
  const kind = ((detail?: string) => new ChainError(codespace, code, description, detail)) as ErrorKind;
  Object.assign(kind, { codespace, code, description });
  kind.is = (err: unknown) => err instanceof ChainError && err.codespace === codespace && err.code === code;
  return kind;
}

const sdk = (code: number, description: string) => registerError('sdk', code, description);
export const ErrTxDecode = sdk(2, 'tx parse error');
export const ErrInvalidSequence = sdk(3, 'invalid sequence');
export const ErrUnauthorized = sdk(4, 'unauthorized');
export const ErrInsufficientFunds = sdk(5, 'insufficient funds');
export const ErrUnknownRequest = sdk(6, 'unknown request');
export const ErrInvalidAddress = sdk(7, 'invalid address');
export const ErrInvalidPubKey = sdk(8, 'invalid pubkey');
export const ErrUnknownAddress = sdk(9, 'unknown address');
export const ErrInvalidCoins = sdk(10, 'invalid coins');
export const ErrOutOfGas = sdk(11, 'out of gas');
export const ErrMemoTooLarge = sdk(12, 'memo too large');
export const ErrInsufficientFee = sdk(13, 'insufficient fee');
export const ErrTooManySignatures = sdk(14, 'maximum number of signatures exceeded');
export const ErrNoSignatures = sdk(15, 'no signatures supplied');
export const ErrInvalidRequest = sdk(18, 'invalid request');
export const ErrTxInMempoolCache = sdk(19, 'tx already in mempool');
export const ErrMempoolIsFull = sdk(20, 'mempool is full');
export const ErrTxTooLarge = sdk(21, 'tx too large');
export const ErrKeyNotFound = sdk(22, 'key not found');
export const ErrInvalidChainID = sdk(28, 'invalid chain-id');
export const ErrInvalidType = sdk(29, 'invalid type');
export const ErrTxTimeoutHeight = sdk(30, 'tx timeout height');
export const ErrUnknownExtensionOptions = sdk(31, 'unknown extension options');
export const ErrWrongSequence = sdk(32, 'incorrect account sequence');
export const ErrNotSupported = sdk(37, 'feature not supported');
export const ErrNotFound = sdk(38, 'not found');
export const ErrPanic = sdk(111222, 'panic');

/** Normalises anything thrown during execution into a ChainError (unexpected ones become code 111222). */
export function asChainError(err: unknown): ChainError {
  if (err instanceof ChainError) return err;
  return ErrPanic(err instanceof Error ? err.message : String(err));
}
