import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { isValidAddress, type AccountKey } from '@trucom/crypto';
import { coinsString, coinToWire, signTx, type ChainNode, type Coin, type CommittedBlock } from '@trucom/chain';

export class FaucetError extends Error {
  override readonly name = 'FaucetError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface FaucetOptions {
  readonly amount: readonly Coin[];
  readonly fee: readonly Coin[];
  readonly gasLimit: bigint;
  readonly waitMs: number;
}

/**
 * Devnet faucet: sends a fixed amount from the faucet account and answers once the transfer is in a
 * block. Requests are serialised so each gets the next sequence number.
 */
export class Faucet {
  private queue: Promise<unknown> = Promise.resolve();
  private nextSequence = -1n;

  constructor(
    private readonly node: ChainNode,
    private readonly key: AccountKey,
    private readonly options: FaucetOptions,
  ) {}

  get address(): string {
    return this.key.address;
  }

  fund(address: unknown): Promise<{ txhash: string; height: string; amount: string }> {
    if (typeof address !== 'string' || !isValidAddress(address)) throw new FaucetError(400, `invalid address ${JSON.stringify(address)}: expected a bech32 address with prefix tru`);
    const sent = this.queue.then(() => this.send(address));
    this.queue = sent.catch(() => undefined);
    return sent.then(async (hash) => {
      const block = await this.inclusion(hash);
      const index = block.txHashes.indexOf(hash);
      const result = block.results.txResults[index]!;
      if (result.code !== 0) throw new FaucetError(500, `faucet transfer failed: ${result.log}`);
      return { txhash: hash, height: String(block.block.header!.height), amount: coinsString(this.options.amount) };
    });
  }

  private async account(): Promise<{ accountNumber: bigint; sequence: bigint }> {
    const r = await this.node.app.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address: this.key.address }).finish(), this.node.nextBlockInfo());
    if (r.code !== 0) throw new FaucetError(503, `faucet account unavailable: ${r.log}`);
    return BaseAccount.decode(QueryAccountResponse.decode(r.value).account!.value);
  }

  private async send(to: string): Promise<string> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const account = await this.account();
      const sequence = this.nextSequence > account.sequence ? this.nextSequence : account.sequence;
      const raw = signTx(
        {
          messages: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: MsgSend.encode({ fromAddress: this.key.address, toAddress: to, amount: this.options.amount.map(coinToWire) }).finish() }],
          memo: 'trucom devnet faucet',
          fee: this.options.fee.map(coinToWire),
          gasLimit: this.options.gasLimit,
          chainId: this.node.chainId,
          accountNumber: account.accountNumber,
          sequence,
        },
        this.key,
      );
      const r = await this.node.submitTx(raw);
      if (r.code === 0) {
        this.nextSequence = sequence + 1n;
        return r.hashHex;
      }
      if (r.code !== 32) throw new FaucetError(r.code === 5 ? 503 : 500, `faucet transfer rejected: ${r.log}`);
      this.nextSequence = -1n; // resynchronise with the chain and try once more
    }
    throw new FaucetError(503, 'faucet could not get a valid sequence number; try again');
  }

  private inclusion(hash: string): Promise<CommittedBlock> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new FaucetError(504, `faucet transfer ${hash} not committed within ${this.options.waitMs} ms`));
      }, this.options.waitMs);
      const stop = this.node.onBlock((b) => {
        if (!b.txHashes.includes(hash)) return;
        clearTimeout(timer);
        stop();
        resolve(b);
      });
    });
  }
}
