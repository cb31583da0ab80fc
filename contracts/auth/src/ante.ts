import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { SignerInfo } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { accountAddress, toBase64 } from '@trucom/crypto';
import {
  amountOf,
  CacheKVStore,
  EventManager,
  ErrOutOfGas,
  GasKVStore,
  type Context,
  coinsFromWire,
  coinsString,
  directSignBytes,
  ErrInsufficientFee,
  ErrInvalidPubKey,
  ErrMemoTooLarge,
  ErrNotSupported,
  ErrTooManySignatures,
  ErrTxTimeoutHeight,
  ErrUnauthorized,
  ErrUnknownAddress,
  ErrWrongSequence,
  type AnteHandler,
  type DecodedTx,
  type ReadonlyKVStore,
  type SignatureCheck,
} from '@trucom/chain';
import { SECP256K1_PUBKEY_TYPE, type AuthKeeper } from './keeper.js';
import { accountKey } from './keys.js';
import type { FeeBankKeeper } from './expected-keepers.js';
import { gasPriceString, requiredFee, type GasPrice } from './gas-price.js';

export const FEE_COLLECTOR = 'fee_collector';

export interface AnteOptions {
  readonly auth: AuthKeeper;
  readonly bank: FeeBankKeeper;
  /** Node-local fee floor, applied in CheckTx only (as the SDK's min-gas-prices). */
  readonly minGasPrice?: GasPrice;
}

/**
 * The signer's public key from its SignerInfo, checked against the signer's address. Pure in the
 * SignerInfo, which belongs to a decoded tx that is cached across check, recheck and delivery, so
 * the result is remembered per SignerInfo object.
 */
const checkedKeys = new WeakMap<SignerInfo, { signer: string; key: Uint8Array }>();

function signerPublicKey(info: SignerInfo, signer: string, index: number): Uint8Array {
  const known = checkedKeys.get(info);
  if (known?.signer === signer) return known.key;
  if (!info.publicKey) throw ErrInvalidPubKey(`signer ${index} (${signer}) has no public key`);
  if (info.publicKey.typeUrl !== SECP256K1_PUBKEY_TYPE) throw ErrInvalidPubKey(`unsupported public key type ${info.publicKey.typeUrl}`);
  let key: Uint8Array;
  try {
    key = PubKey.decode(info.publicKey.value).key;
  } catch {
    throw ErrInvalidPubKey('cannot decode public key');
  }
  if (key.length !== 33 || accountAddress(key) !== signer) {
    throw ErrInvalidPubKey(`pubKey does not match signer address ${signer} with signer index: ${index}`);
  }
  checkedKeys.set(info, { signer, key });
  return key;
}

/**
 * The signatures a tx needs, derived from the tx and account numbers in state, without verifying
 * anything: lets the node verify them in a worker pool before the synchronous ante handler runs.
 */
export function signatureChecks(auth: AuthKeeper) {
  return (store: ReadonlyKVStore, chainId: string, tx: DecodedTx, signers: readonly string[]): SignatureCheck[] => {
    const checks: SignatureCheck[] = [];
    signers.forEach((signer, i) => {
      const info = tx.authInfo.signerInfos[i];
      const account = auth.getAccount(store, signer);
      const signature = tx.signatures[i];
      if (!info || !account || !signature) return;
      try {
        checks.push({ publicKey: signerPublicKey(info, signer, i), signBytes: directSignBytes(tx, chainId, account.accountNumber), signature });
      } catch {
        // the ante handler reports it
      }
    });
    return checks;
  };
}

/**
 * cosmjs simulates with an empty fee, yet the real tx pays one: charge the gas of a fee transfer
 * on a scratch copy of the state, so the estimate covers it (state and events are left untouched).
 */
function chargeFeeDeduction(ctx: Context, bank: FeeBankKeeper, payer: string, denom: string): void {
  const scratch: Context = { ...ctx, store: new GasKVStore(new CacheKVStore(ctx.store), ctx.gas), events: new EventManager() };
  try {
    bank.sendFromAccountToModule(scratch, payer, FEE_COLLECTOR, [{ denom, amount: 1n }]);
  } catch (err) {
    if (ErrOutOfGas.is(err)) throw err;
  }
}

/**
 * The Cosmos SDK ante chain, in its order: basic validation, memo, timeout height, tx size gas,
 * fee deduction, public keys, signature count, then per signer sequence and signature, and the
 * sequence increment. Everything here survives a failing message; nothing survives a failing ante.
 */
export function createAnteHandler({ auth, bank, minGasPrice }: AnteOptions): AnteHandler {
  return (ctx, tx, signers, verifySignature) => {
    const params = auth.params(ctx.store);
    const simulate = ctx.mode === 'simulate';
    const infos = tx.authInfo.signerInfos;

    if (signers.length > params.txSigLimit) throw ErrTooManySignatures(`signatures: ${signers.length}, limit: ${params.txSigLimit}`);
    if (!simulate && tx.signatures.length !== signers.length) {
      throw ErrUnauthorized(`wrong number of signers; expected ${signers.length}, got ${tx.signatures.length}`);
    }
    if (infos.length !== signers.length) throw ErrUnauthorized(`invalid number of signer infos; expected: ${signers.length}, got ${infos.length}`);
    if ([...tx.body.memo].length > params.maxMemoCharacters) {
      throw ErrMemoTooLarge(`maximum number of characters is ${params.maxMemoCharacters} but received ${[...tx.body.memo].length} characters`);
    }
    if (tx.body.timeoutHeight !== 0n && BigInt(ctx.block.height) > tx.body.timeoutHeight) {
      throw ErrTxTimeoutHeight(`block height: ${ctx.block.height}, timeout height: ${tx.body.timeoutHeight}`);
    }
    ctx.gas.consume(params.txSizeCostPerByte * tx.raw.length, 'txSize');

    const fee = coinsFromWire(tx.authInfo.fee?.amount ?? []);
    const gasLimit = tx.authInfo.fee?.gasLimit ?? 0n;
    if ((ctx.mode === 'check') && minGasPrice) {
      const required = requiredFee(minGasPrice, gasLimit);
      if (gasLimit === 0n || amountOf(fee, minGasPrice.denom) < required) {
        throw ErrInsufficientFee(`insufficient fees; got: ${coinsString(fee) || '0' + minGasPrice.denom} required: ${required}${minGasPrice.denom} (gas ${gasLimit} at ${gasPriceString(minGasPrice)})`);
      }
    }
    const payer = tx.authInfo.fee?.payer || signers[0]!;
    if (!signers.includes(payer)) throw ErrUnauthorized(`fee payer ${payer} is not a signer`);
    if (!ctx.store.has(accountKey(payer))) throw ErrUnknownAddress(`fee payer address: ${payer} does not exist`);
    if (fee.length > 0) bank.sendFromAccountToModule(ctx, payer, FEE_COLLECTOR, fee);
    else if (simulate && minGasPrice) chargeFeeDeduction(ctx, bank, payer, minGasPrice.denom);
    if (ctx.events.recording) ctx.events.emit('tx', { fee: coinsString(fee), fee_payer: payer });

    signers.forEach((signer, i) => {
      const info = infos[i]!;
      const account = auth.getAccount(ctx.store, signer);
      if (!account) throw ErrUnknownAddress(`account ${signer} does not exist`);
      const publicKey = signerPublicKey(info, signer, i);
      if (account.publicKey && Buffer.compare(account.publicKey, publicKey) !== 0) {
        throw ErrInvalidPubKey(`pubKey does not match the one stored for ${signer}`);
      }
      const mode = info.modeInfo?.single?.mode;
      if (!simulate && mode !== SignMode.SIGN_MODE_DIRECT) throw ErrNotSupported(`signature mode ${mode ?? 'multi'} is not supported; use SIGN_MODE_DIRECT`);
      if (info.sequence !== account.sequence) {
        throw ErrWrongSequence(`account sequence mismatch, expected ${account.sequence}, got ${info.sequence}`);
      }
      ctx.gas.consume(params.sigVerifyCostSecp256k1, 'ante verify: secp256k1');
      const signature = tx.signatures[i] ?? new Uint8Array();
      if (!simulate && !verifySignature(publicKey, directSignBytes(tx, ctx.block.chainId, account.accountNumber), signature)) {
        throw ErrUnauthorized(`signature verification failed; please verify account number (${account.accountNumber}) and chain-id (${ctx.block.chainId})`);
      }
      // field by field: `{ ...account, more }` costs V8 a new hidden class per object (see checkTxResult)
      auth.setAccount(ctx.store, { address: account.address, publicKey, accountNumber: account.accountNumber, sequence: account.sequence + 1n });
      if (ctx.events.recording) {
        ctx.events.emit('tx', { acc_seq: `${signer}/${account.sequence}` });
        ctx.events.emit('tx', { signature: toBase64(signature) });
      }
    });
  };
}
