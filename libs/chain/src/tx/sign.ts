import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { signSecp256k1 } from '@trucom/crypto';
import { directSignBytes } from './decode.js';
import type { WireCoin } from '../coins.js';

export interface UnsignedTx {
  readonly messages: Any[];
  readonly memo?: string;
  readonly fee: readonly WireCoin[];
  readonly gasLimit: bigint;
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
}

export interface TxSigner {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * Builds and signs a single-signer tx exactly as cosmjs does under SIGN_MODE_DIRECT, for the node's
 * own clients (the devnet faucet, benchmarks) that hold a key and need no wallet.
 */
export function signTx(tx: UnsignedTx, signer: TxSigner): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: tx.messages, memo: tx.memo ?? '' })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: signer.publicKey }).finish() },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: tx.sequence,
        },
      ],
      fee: { amount: [...tx.fee], gasLimit: tx.gasLimit },
    }),
  ).finish();
  const signature = signSecp256k1(signer.privateKey, directSignBytes({ bodyBytes, authInfoBytes }, tx.chainId, tx.accountNumber));
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}
