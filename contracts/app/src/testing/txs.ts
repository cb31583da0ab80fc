import { encodeSecp256k1Pubkey, type Coin } from '@cosmjs/amino';
import { fromBase64 } from '@cosmjs/encoding';
import { encodePubkey, makeAuthInfoBytes, makeSignDoc, Registry, type EncodeObject } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, Fee, Tx, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { parseCoins } from '@trucom/chain';
import type { TestAccount } from './accounts.js';

/** cosmjs's default registry: what SigningStargateClient encodes messages with. */
export function defaultRegistry(): Registry {
  return new Registry(defaultRegistryTypes);
}

const registry = defaultRegistry();

export interface TestFee {
  readonly amount: readonly Coin[];
  readonly gas: string | number;
}

/** 200 000 gas at 0.01utru: exactly the node's default minimum. */
export const DEFAULT_FEE: TestFee = { amount: [{ denom: 'utru', amount: '2000' }], gas: '200000' };

export function coins(s: string): Coin[] {
  return parseCoins(s).map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
}

export function msgSend(from: string, to: string, amount: string | readonly Coin[]): EncodeObject {
  return {
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    value: { fromAddress: from, toAddress: to, amount: typeof amount === 'string' ? coins(amount) : amount },
  };
}

export function msgMultiSend(from: string, outputs: readonly { address: string; coins: string }[], inputCoins?: string): EncodeObject {
  const total = inputCoins ?? outputs.map((o) => o.coins).join(',');
  return {
    typeUrl: '/cosmos.bank.v1beta1.MsgMultiSend',
    value: { inputs: [{ address: from, coins: coins(total) }], outputs: outputs.map((o) => ({ address: o.address, coins: coins(o.coins) })) },
  };
}

export interface SignOptions {
  readonly chainId: string;
  readonly accountNumber: bigint | number;
  readonly sequence: bigint | number;
  readonly fee?: TestFee;
  readonly memo?: string;
  readonly timeoutHeight?: bigint;
  readonly signMode?: SignMode;
  /** A registry that knows extra (e.g. made-up) type URLs. */
  readonly registry?: Registry;
}

/**
 * A SIGN_MODE_DIRECT tx signed exactly as SigningStargateClient.signDirect does it: cosmjs builds the
 * body, auth info and sign doc, and the cosmjs wallet signs; returns the TxRaw bytes to broadcast.
 */
export async function signTx(account: TestAccount, messages: readonly EncodeObject[], opts: SignOptions): Promise<Uint8Array> {
  const reg = opts.registry ?? registry;
  const bodyBytes = reg.encodeTxBody({ messages: [...messages], memo: opts.memo ?? '', timeoutHeight: opts.timeoutHeight });
  const fee = opts.fee ?? DEFAULT_FEE;
  const authInfoBytes = makeAuthInfoBytes(
    [{ pubkey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)), sequence: Number(opts.sequence) }],
    fee.amount,
    Number(fee.gas),
    undefined,
    undefined,
    opts.signMode ?? SignMode.SIGN_MODE_DIRECT,
  );
  const signDoc = makeSignDoc(bodyBytes, authInfoBytes, opts.chainId, opts.accountNumber);
  const { signed, signature } = await account.wallet.signDirect(account.address, signDoc);
  return TxRaw.encode(TxRaw.fromPartial({ bodyBytes: signed.bodyBytes, authInfoBytes: signed.authInfoBytes, signatures: [fromBase64(signature.signature)] })).finish();
}

/** A tx with several signers: each signs the same body and auth info with its own account number. */
export async function signTxMulti(
  signers: readonly { account: TestAccount; accountNumber: bigint | number; sequence: bigint | number }[],
  messages: readonly EncodeObject[],
  opts: { chainId: string; fee?: TestFee; memo?: string },
): Promise<Uint8Array> {
  const bodyBytes = registry.encodeTxBody({ messages: [...messages], memo: opts.memo ?? '' });
  const fee = opts.fee ?? DEFAULT_FEE;
  const authInfoBytes = makeAuthInfoBytes(
    signers.map((s) => ({ pubkey: encodePubkey(encodeSecp256k1Pubkey(s.account.pubkey)), sequence: Number(s.sequence) })),
    fee.amount,
    Number(fee.gas),
    undefined,
    undefined,
  );
  const signatures: Uint8Array[] = [];
  for (const s of signers) {
    const { signature } = await s.account.wallet.signDirect(s.account.address, makeSignDoc(bodyBytes, authInfoBytes, opts.chainId, s.accountNumber));
    signatures.push(fromBase64(signature.signature));
  }
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures }).finish();
}

/**
 * The tx cosmjs sends to Simulate (stargate modules/tx/queries.js): SIGN_MODE_UNSPECIFIED, empty fee,
 * one empty signature.
 */
export function simulationTx(account: TestAccount, messages: readonly EncodeObject[], sequence: bigint | number, memo = ''): Uint8Array {
  const tx = Tx.fromPartial({
    authInfo: AuthInfo.fromPartial({
      fee: Fee.fromPartial({}),
      signerInfos: [
        {
          publicKey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)),
          sequence: BigInt(sequence),
          modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } },
        },
      ],
    }),
    body: TxBody.fromPartial({ messages: messages.map((m) => registry.encodeAsAny(m)), memo }),
    signatures: [new Uint8Array()],
  });
  return Tx.encode(tx).finish();
}

/** Re-encodes a TxRaw with its signatures replaced (body and auth info bytes kept exactly). */
export function withSignatures(raw: Uint8Array, change: (signatures: Uint8Array[]) => Uint8Array[]): Uint8Array {
  const tx = TxRaw.decode(raw);
  return TxRaw.encode({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, signatures: change(tx.signatures.map((s) => s.slice())) }).finish();
}

const CURVE_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The malleated twin of a low-S signature: same r, s' = n - s (valid ECDSA, rejected by Cosmos). */
export function highS(signature: Uint8Array): Uint8Array {
  const s = BigInt('0x' + Buffer.from(signature.subarray(32, 64)).toString('hex'));
  const out = signature.slice();
  out.set(Buffer.from((CURVE_N - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}
