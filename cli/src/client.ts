import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { trucomRegistry } from '@trucom/client';
import { ACCOUNT_PREFIX } from '@trucom/crypto';
import type { KeyEntry } from './keyring.js';

/** v0's CometBFT-compatible JSON-RPC on the devnet (DESIGN §9). */
export const DEFAULT_NODE = 'http://127.0.0.1:26657';

/** How often a broadcast tx is polled for inclusion; blocks come every second or so. */
const BROADCAST_POLL_INTERVAL_MS = 300;

export class NodeConnectionError extends Error {
  override readonly name = 'NodeConnectionError';
}

/** Turns cosmjs' "fetch failed" into something that names the node and the cause. */
async function reach<T>(node: string, connect: () => Promise<T>): Promise<T> {
  try {
    return await connect();
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new NodeConnectionError(`cannot reach node ${node}: ${detail} (is the validator running? set the RPC URL with --node)`);
  }
}

/**
 * cosmjs reports a JSON-RPC error as its JSON text; this returns an Error with the node's own words
 * (`data`, else `message`), or `err` unchanged when it is not such an error.
 */
export function explainRpcError(err: unknown): unknown {
  if (!(err instanceof Error) || !err.message.startsWith('{')) return err;
  try {
    const rpc = JSON.parse(err.message) as { code?: number; message?: string; data?: string };
    if (typeof rpc.code !== 'number') return err;
    return new Error(`node error ${rpc.code}: ${rpc.data || rpc.message || 'no details'}`);
  } catch {
    return err;
  }
}

export function connectQueryClient(node: string): Promise<StargateClient> {
  return reach(node, () => StargateClient.connect(node));
}

export function connectCometClient(node: string): Promise<CometClient> {
  return reach(node, () => connectComet(node));
}

export interface SigningConnection {
  readonly client: SigningStargateClient;
  readonly address: string;
}

/** A signing client for `key` (Cosmos HD path m/44'/118'/0'/0/0, prefix `tru`, SIGN_MODE_DIRECT) that knows Trucom's own messages. */
export async function connectSigningClient(node: string, key: KeyEntry, gasPrice: GasPrice): Promise<SigningConnection> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(key.mnemonic, { prefix: ACCOUNT_PREFIX });
  const [account] = await wallet.getAccounts();
  if (!account || account.address !== key.address) {
    throw new Error(`key ${key.name}: its mnemonic derives ${account?.address ?? 'no address'}, not the recorded ${key.address}`);
  }
  const client = await reach(node, () => SigningStargateClient.connectWithSigner(node, wallet, { registry: trucomRegistry(), gasPrice, broadcastPollIntervalMs: BROADCAST_POLL_INTERVAL_MS }));
  return { client, address: account.address };
}
