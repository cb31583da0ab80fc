import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { Application } from '../app/application.js';
import type { BlockInfo } from '../app/context.js';
import type { AnteHandler, Module, MsgHandler } from '../app/module.js';
import { CommittedState } from '../state/committed-state.js';
import { inlineVerifier, SignatureCache } from '../tx/signatures.js';
import { ErrInsufficientFunds, ErrInvalidRequest, ErrKeyNotFound, ErrUnauthorized, ErrWrongSequence } from '../errors.js';
import { tempDB, type TempDB } from './temp-db.js';

/**
 * A tiny ledger to exercise the Application and the mempool without the real contracts: one message
 * that adds to a named counter, an ante handler with a per-signer sequence and a flat "fee" counter,
 * and a signature that is just the bytes "ok". Test-only: not exported from index.ts.
 */
export const TOY_MSG = '/test.toy.v1.MsgAdd';
export const TOY_CHAIN_ID = 'toy-1';
export const OK_SIGNATURE = new TextEncoder().encode('ok');

export interface ToyMsg {
  readonly signer: string;
  readonly key: string;
  readonly amount: number;
  /** Makes execution fail with code 5 (after the ante handler succeeded). */
  readonly fail?: boolean;
  /** Makes execution throw a plain Error (a bug in a handler). */
  readonly panic?: boolean;
  /** Writes this many extra bytes, to spend gas. */
  readonly heavy?: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const num = (v: Uint8Array | undefined) => (v ? Number(dec.decode(v)) : 0);
const bytes = (n: number) => enc.encode(String(n));

export const counterKey = (key: string) => `toy/counter/${key}`;
export const nonceKey = (signer: string) => `toy/nonce/${signer}`;
export const feesKey = (signer: string) => `toy/fees/${signer}`;
export const INVARIANT_LIMIT = 1_000_000;

const msgAdd: MsgHandler<ToyMsg> = {
  typeUrl: TOY_MSG,
  decode: (b) => JSON.parse(dec.decode(b)) as ToyMsg,
  signers: (m) => [m.signer],
  validate(m) {
    if (!Number.isSafeInteger(m.amount) || m.amount < 0) throw ErrInvalidRequest(`bad amount ${m.amount}`);
  },
  execute(ctx, m) {
    ctx.store.set(counterKey(m.key), bytes(num(ctx.store.get(counterKey(m.key))) + m.amount));
    if (m.heavy) ctx.store.set(`toy/heavy/${m.key}`, new Uint8Array(m.heavy));
    ctx.events.emit('toy', { key: m.key, amount: String(m.amount) });
    if (m.fail) throw ErrInsufficientFunds(`cannot add ${m.amount}`);
    if (m.panic) throw new Error('handler bug');
    return { typeUrl: '/test.toy.v1.MsgAddResponse', value: bytes(m.amount) };
  },
};

export const toyAnte: AnteHandler = (ctx, tx, signers) => {
  ctx.gas.consume(10 * tx.raw.length, 'txSize');
  const signer = signers[0]!;
  const expected = BigInt(num(ctx.store.get(nonceKey(signer))));
  const got = tx.authInfo.signerInfos[0]?.sequence ?? 0n;
  if (got !== expected) throw ErrWrongSequence(`account sequence mismatch, expected ${expected}, got ${got}`);
  ctx.store.set(feesKey(signer), bytes(num(ctx.store.get(feesKey(signer))) + 1));
  const sig = tx.signatures[0] ?? new Uint8Array();
  if (ctx.mode !== 'simulate' && Buffer.compare(sig, OK_SIGNATURE) !== 0) throw ErrUnauthorized('signature verification failed');
  ctx.store.set(nonceKey(signer), bytes(Number(expected) + 1));
  ctx.events.emit('tx', { acc_seq: `${signer}/${expected}` });
};

export const toyModule: Module = {
  name: 'toy',
  msgs: [msgAdd],
  queries: {
    '/test.toy.v1.Query/Counter': (ctx, data) => {
      const v = ctx.store.get(counterKey(dec.decode(data)));
      if (!v) throw ErrKeyNotFound(`counter ${dec.decode(data)} not found`);
      return v;
    },
  },
  initGenesis(ctx, state) {
    for (const [k, v] of Object.entries((state ?? {}) as Record<string, number>)) ctx.store.set(counterKey(k), bytes(v));
  },
  beginBlock(ctx) {
    ctx.store.set('toy/last_begin', bytes(ctx.block.height));
    ctx.events.emit('begin', { height: String(ctx.block.height) });
  },
  endBlock(ctx) {
    ctx.events.emit('end', { height: String(ctx.block.height) });
  },
  invariants: {
    limit: async (ctx) => {
      for await (const [k, v] of ctx.store.iterate('toy/counter/')) if (num(v) > INVARIANT_LIMIT) return `${k} is ${num(v)}`;
      return undefined;
    },
  },
};

export interface ToyTxOptions {
  readonly sequence?: number;
  readonly signature?: Uint8Array;
  readonly gas?: number;
  readonly memo?: string;
  /** Raw messages, for unknown type URLs or undecodable values. */
  readonly anys?: { typeUrl: string; value: Uint8Array }[];
}

export function toyTx(msgs: readonly ToyMsg[], opts: ToyTxOptions = {}): Uint8Array {
  const messages = opts.anys ?? msgs.map((m) => ({ typeUrl: TOY_MSG, value: enc.encode(JSON.stringify(m)) }));
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages, memo: opts.memo ?? '' })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [{ sequence: BigInt(opts.sequence ?? 0), modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } } }],
      fee: { amount: [], gasLimit: BigInt(opts.gas ?? 100_000) },
    }),
  ).finish();
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [opts.signature ?? OK_SIGNATURE] }).finish();
}

export interface ToyChain {
  readonly t: TempDB;
  readonly state: CommittedState;
  readonly app: Application;
  height: number;
  block(height?: number): BlockInfo;
  /** finalizeBlock + commit at the next height. */
  deliver(txs: readonly Uint8Array[]): ReturnType<Application['finalizeBlock']>;
  counter(key: string): number;
  destroy(): Promise<void>;
}

/** The toy ledger over a committed state (for nodes that run it under consensus). */
export function toyApplication(state: CommittedState, maxTxBytes = 10_000): Application {
  return new Application(
    {
      chainId: TOY_CHAIN_ID,
      modules: [toyModule],
      ante: toyAnte,
      signatureChecks: () => [],
      signatures: new SignatureCache(inlineVerifier),
      maxTxBytes,
      priority: (tx) => tx.authInfo.fee?.gasLimit ?? 0n,
    },
    state,
  );
}

export async function toyChain(genesis: Record<string, number> = {}, maxTxBytes = 10_000): Promise<ToyChain> {
  const t = await tempDB('trucom-toy-');
  const state = await CommittedState.open(t.db);
  const app = toyApplication(state, maxTxBytes);
  const block = (height: number) => ({ chainId: TOY_CHAIN_ID, height, time: { seconds: 1_700_000_000 + height, nanos: 0 }, proposer: new Uint8Array(20) });
  app.initChain({ time: block(0).time, appState: { toy: genesis } });
  const batch = t.db.batch();
  app.commit(batch);
  await batch.write();
  app.committed();
  const chain: ToyChain = {
    t,
    state,
    app,
    height: 0,
    block: (height = chain.height + 1) => block(height),
    async deliver(txs) {
      const result = await app.finalizeBlock({ ...block(chain.height + 1), txs });
      const b = t.db.batch();
      app.commit(b);
      await b.write();
      app.committed();
      chain.height++;
      return result;
    },
    counter: (key) => num(state.get(counterKey(key))),
    destroy: () => t.destroy(),
  };
  return chain;
}

export function readCounter(state: { get(key: string): Uint8Array | undefined }, key: string): number {
  return num(state.get(key));
}
