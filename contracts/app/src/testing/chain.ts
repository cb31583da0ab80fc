import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import {
  CommittedState,
  inlineVerifier,
  openChainDB,
  SignatureCache,
  type Application,
  type BlockInfo,
  type ChainDB,
  type CheckTxResult,
  type FinalizeBlockResult,
  type Misbehavior,
  type VoteInfo,
  type QueryResult,
  type WireCoin,
} from '@trucom/chain';
import { sha256, validatorAddress } from '@trucom/crypto';
import { createTrucomApp } from '../app.js';
import { coins } from './txs.js';

export const TEST_CHAIN_ID = 'trucom-test-1';

/** The stand-in header hash of a test block: sha256(chain id ‖ "/" ‖ height), fixed so runs repeat. */
export const testBlockHash = (chainId: string, height: number): Uint8Array => sha256(new TextEncoder().encode(`${chainId}/${height}`));
export const GENESIS_TIME = { seconds: 1_700_000_000, nanos: 0 };

export interface TestChainOptions {
  readonly chainId?: string;
  /** Genesis balances, e.g. `[{ address, coins: '1000000utru' }]`, in account-number order. */
  readonly balances: readonly { address: string; coins: string }[];
  /** Node-local fee floor for CheckTx; defaults to "0.01utru". Pass null for none. */
  readonly minGasPrice?: string | null;
  readonly maxTxBytes?: number;
  readonly authGenesis?: Record<string, unknown>;
  /** More app_state (staking, distribution, slashing), e.g. from genesisValidatorsState. */
  readonly appState?: Record<string, unknown>;
  /**
   * The consensus validator set at genesis. When given, every block's last commit lists the set of
   * the previous block (all signing unless told otherwise) and validator updates apply at H+2, as
   * ChainNode does.
   */
  readonly consensusValidators?: readonly ConsensusValidator[];
}

export interface ConsensusValidator {
  readonly publicKey: Uint8Array;
  readonly power: number;
}

export interface DeliverOptions {
  /** Consensus addresses whose precommit is missing from the last commit. */
  readonly absent?: readonly Uint8Array[];
  readonly misbehavior?: readonly Misbehavior[];
}

export interface AccountView {
  readonly address: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly pubkey?: Uint8Array;
}

/**
 * The real Trucom app (createTrucomApp) on a LevelDB in a temp directory, driven like a node drives
 * it: initChain + commit, then finalizeBlock + commit per block. Every committed block is followed by
 * an invariant check, so a test cannot commit a block that breaks the supply without failing.
 */
export class TestChain {
  height = 0;
  /** Consensus validator set by height (only with `consensusValidators`). */
  readonly sets = new Map<number, ConsensusValidator[]>();

  private constructor(
    readonly dir: string,
    readonly db: ChainDB,
    readonly state: CommittedState,
    readonly app: Application,
    readonly chainId: string,
  ) {}

  static async start(opts: TestChainOptions): Promise<TestChain> {
    const chainId = opts.chainId ?? TEST_CHAIN_ID;
    const dir = await mkdtemp(join(tmpdir(), 'trucom-app-test-'));
    const db = await openChainDB(dir);
    const state = await CommittedState.open(db);
    const app = createTrucomApp({
      chainId,
      state,
      signatures: new SignatureCache(inlineVerifier),
      minGasPrice: opts.minGasPrice === null ? undefined : (opts.minGasPrice ?? '0.01utru'),
      maxTxBytes: opts.maxTxBytes,
    });
    const chain = new TestChain(dir, db, state, app, chainId);
    try {
      app.initChain({
        time: GENESIS_TIME,
        appState: { auth: opts.authGenesis ?? {}, bank: { balances: opts.balances.map((b) => ({ address: b.address, coins: coins(b.coins) })) }, ...opts.appState },
      });
      if (opts.consensusValidators) {
        chain.sets.set(1, [...opts.consensusValidators]);
        chain.sets.set(2, [...opts.consensusValidators]);
      }
      await chain.commitPending();
    } catch (err) {
      await chain.destroy();
      throw err;
    }
    return chain;
  }

  blockInfo(height = this.height + 1): BlockInfo {
    return { chainId: this.chainId, height, time: { seconds: GENESIS_TIME.seconds + 5 * height, nanos: 0 }, proposer: new Uint8Array(20) };
  }

  get appHash(): Uint8Array {
    return this.app.info().appHash;
  }

  async checkTx(raw: Uint8Array, mode: 'check' | 'recheck' = 'check'): Promise<CheckTxResult> {
    return await this.app.checkTx(raw, mode, this.blockInfo());
  }

  /** Executes and commits the next block; asserts that every invariant still holds. */
  async deliver(txs: readonly Uint8Array[], opts: DeliverOptions = {}): Promise<FinalizeBlockResult> {
    const height = this.height + 1;
    const absent = new Set((opts.absent ?? []).map((a) => Buffer.from(a).toString('hex')));
    const lastCommit: VoteInfo[] =
      height > 1
        ? (this.sets.get(height - 1) ?? []).map((v) => {
            const address = validatorAddress(v.publicKey);
            return { address, power: v.power, signed: !absent.has(Buffer.from(address).toString('hex')) };
          })
        : [];
    const result = await this.app.finalizeBlock({ ...this.blockInfo(), hash: testBlockHash(this.chainId, height), txs, consensus: { lastCommit, misbehavior: opts.misbehavior ?? [] } });
    await this.commitPending();
    this.height++;
    if (this.sets.size > 0) {
      // Updates decided by block H apply from H+2 (ChainNode's ValidatorSetHistory).
      const next = new Map((this.sets.get(height + 1) ?? []).map((v) => [Buffer.from(v.publicKey).toString('hex'), v]));
      for (const u of result.validatorUpdates) {
        const key = Buffer.from(u.publicKey).toString('hex');
        if (u.power <= 0) next.delete(key);
        else next.set(key, { publicKey: u.publicKey, power: u.power });
      }
      this.sets.set(height + 2, [...next.values()]);
    }
    assert.deepEqual(await this.app.brokenInvariants(), [], `invariants after block ${this.height}`);
    return result;
  }

  private async commitPending(): Promise<void> {
    const batch = this.db.batch();
    this.app.commit(batch);
    await batch.write();
    this.app.committed();
  }

  query(path: string, request: Uint8Array): Promise<QueryResult> {
    return this.app.query(path, request, this.blockInfo());
  }

  /** Balance through the bank Balance query, as cosmjs getBalance reads it. */
  async balance(address: string, denom = 'utru'): Promise<bigint> {
    const r = await this.query('/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address, denom }).finish());
    assert.equal(r.code, 0, r.log);
    return BigInt(QueryBalanceResponse.decode(r.value).balance!.amount);
  }

  async allBalances(address: string): Promise<WireCoin[]> {
    const r = await this.query('/cosmos.bank.v1beta1.Query/AllBalances', QueryAllBalancesRequest.encode({ address, resolveDenom: false }).finish());
    assert.equal(r.code, 0, r.log);
    return QueryAllBalancesResponse.decode(r.value).balances;
  }

  async totalSupply(): Promise<WireCoin[]> {
    const r = await this.query('/cosmos.bank.v1beta1.Query/TotalSupply', QueryTotalSupplyRequest.encode({}).finish());
    assert.equal(r.code, 0, r.log);
    return QueryTotalSupplyResponse.decode(r.value).supply;
  }

  /** The account through the auth Account query; undefined when the chain answers NotFound. */
  async account(address: string): Promise<AccountView | undefined> {
    const r = await this.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address }).finish());
    if (r.code === 22) return undefined;
    assert.equal(r.code, 0, r.log);
    const any = QueryAccountResponse.decode(r.value).account!;
    assert.equal(any.typeUrl, '/cosmos.auth.v1beta1.BaseAccount');
    const a = BaseAccount.decode(any.value);
    return {
      address: a.address,
      accountNumber: a.accountNumber,
      sequence: a.sequence,
      pubkey: a.pubKey ? PubKey.decode(a.pubKey.value).key : undefined,
    };
  }

  /** Account number and sequence of an existing account (what cosmjs getSequence returns). */
  async signerData(address: string): Promise<{ chainId: string; accountNumber: bigint; sequence: bigint }> {
    const a = await this.account(address);
    assert.ok(a, `account ${address} exists`);
    return { chainId: this.chainId, accountNumber: a.accountNumber, sequence: a.sequence };
  }

  async destroy(): Promise<void> {
    if (this.db.status === 'open') await this.db.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
