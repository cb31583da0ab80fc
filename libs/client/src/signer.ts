import { DirectSecp256k1HdWallet, type OfflineSigner } from '@cosmjs/proto-signing';
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
  return connectOfflineSigner(rpc, await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: ACCOUNT_PREFIX }), options);
}

/** The same for a signer that holds its keys elsewhere (a browser wallet such as Keplr's `getOfflineSigner`); its first account signs. */
export async function connectOfflineSigner(rpc: string, signer: OfflineSigner, options: { gasPrice?: string; pollMs?: number } = {}): Promise<Signer> {
  const [account] = await signer.getAccounts();
  if (!account) throw new Error('the wallet has no account to sign with');
  const client = SigningStargateClient.createWithSigner(cometClient(rpc), signer, {
    registry: trucomRegistry(),
    gasPrice: GasPrice.fromString(options.gasPrice ?? DEFAULT_GAS_PRICE),
    broadcastPollIntervalMs: options.pollMs ?? 300,
  });
  return { client, address: account.address };
}
