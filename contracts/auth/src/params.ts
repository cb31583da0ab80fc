/** Auth parameters (genesis): the Cosmos SDK defaults (x/auth/types/params.go). */
export interface AuthParams {
  readonly maxMemoCharacters: number;
  readonly txSigLimit: number;
  readonly txSizeCostPerByte: number;
  readonly sigVerifyCostSecp256k1: number;
}

export const DEFAULT_AUTH_PARAMS: AuthParams = {
  maxMemoCharacters: 256,
  txSigLimit: 7,
  txSizeCostPerByte: 10,
  sigVerifyCostSecp256k1: 1000,
};
