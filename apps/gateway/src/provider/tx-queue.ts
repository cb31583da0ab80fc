import type { EncodeObject } from '@cosmjs/proto-signing';
import type { DeliverTxResponse } from '@cosmjs/stargate';
import type { Signer } from '@trucom/client';

/**
 * The provider's transactions, one at a time: each waits for inclusion before the next is signed, so
 * two never take the same account sequence.
 */
export class TxQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly signer: Signer) {}

  get address(): string {
    return this.signer.address;
  }

  submit(msgs: EncodeObject[], memo = ''): Promise<DeliverTxResponse> {
    const run = this.tail.then(() => this.signer.client.signAndBroadcast(this.signer.address, msgs, 'auto', memo));
    this.tail = run.catch(() => undefined);
    return run;
  }
}
