import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { ACCOUNT_PREFIX } from '@trucom/crypto';
import { cometClient } from './queries.js';
import { trucomRegistry } from './registry.js';

export const DEFAULT_GAS_PRICE = '0.01utru';

export interface Signer {
  readonly client: SigningStargateClient;
  readonly address: string;
}

/** A cosmjs signing client (no request until the first use) for a mnemonic (Cosmos HD path, prefix `tru`, SIGN_MODE_DIRECT) that knows Trucom's messages. */
export async function connectSigner(rpc: string, mnemonic: string, options: { gasPrice?: string; pollMs?: number } = {}): Promise<Signer> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: ACCOUNT_PREFIX });
  const [account] = await wallet.getAccounts();
  const client = SigningStargateClient.createWithSigner(cometClient(rpc), wallet, {
    registry: trucomRegistry(),
    gasPrice: GasPrice.fromString(options.gasPrice ?? DEFAULT_GAS_PRICE),
    broadcastPollIntervalMs: options.pollMs ?? 300,
  });
  return { client, address: account!.address };
}
