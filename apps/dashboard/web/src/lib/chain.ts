import { Secp256k1HdWallet } from '@cosmjs/amino';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { DeliverTxResponse } from '@cosmjs/stargate';
import { connectOfflineSigner, type Signer } from '@trucom/client';
import type { AppConfig } from './config';
import type { WalletSigner } from './signer';

/** GET a Cosmos/Trucom REST path; a JSON error body becomes the thrown message. */
export async function rest<T>(config: AppConfig, path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${config.rest}${path}`, { cache: 'no-store' });
  } catch {
    throw new Error(`cannot reach the chain's REST endpoint ${config.rest}`);
  }
  const body = (await res.json().catch(() => ({}))) as T & { error?: string; message?: string };
  if (!res.ok) throw Object.assign(new Error(body.error ?? body.message ?? `${path}: HTTP ${res.status}`), { status: res.status });
  return body;
}

/** undefined on 404 (unknown deal, site, content…). */
export async function restOptional<T>(config: AppConfig, path: string): Promise<T | undefined> {
  try {
    return await rest<T>(config, path);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw err;
  }
}

let rpcId = 0;
/** A CometBFT JSON-RPC call on the validator's RPC. */
export async function rpc<T>(config: AppConfig, method: string, params: Record<string, unknown> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(config.rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }) });
  } catch {
    throw new Error(`cannot reach the validator RPC ${config.rpc}`);
  }
  const body = (await res.json()) as { result?: T; error?: { message: string; data?: string } };
  if (body.error) throw new Error(body.error.data || body.error.message);
  return body.result as T;
}

export async function balanceOf(config: AppConfig, address: string): Promise<bigint> {
  const r = await rest<{ balances: { denom: string; amount: string }[] }>(config, `/cosmos/bank/v1beta1/balances/${address}`);
  return BigInt(r.balances.find((b) => b.denom === config.denom)?.amount ?? '0');
}

export async function latestHeight(config: AppConfig): Promise<number> {
  const s = await rpc<{ sync_info: { latest_block_height: string } }>(config, 'status');
  return Number(s.sync_info.latest_block_height);
}

const clients = new WeakMap<WalletSigner, Promise<Signer>>();

function clientFor(config: AppConfig, signer: WalletSigner): Promise<Signer> {
  if (!clients.has(signer)) clients.set(signer, connectOfflineSigner(config.rpc, signer.offline, { gasPrice: config.gasPrice, pollMs: 300 }));
  return clients.get(signer)!;
}

/** Signs `msgs` with the wallet (seed phrase or Keplr), broadcasts them and waits for the block; a refused tx throws its log. */
export async function sendTx(config: AppConfig, signer: WalletSigner, msgs: (owner: string) => EncodeObject[], memo = ''): Promise<DeliverTxResponse> {
  const { client, address } = await clientFor(config, signer);
  const result = await client.signAndBroadcast(address, msgs(address), 1.5, memo);
  if (result.code !== 0) throw new Error(result.rawLog || `the chain refused the transaction (code ${result.code})`);
  return result;
}

/** The HTTP Authorization of a statement signed ADR-036 style (what Keplr's signArbitrary returns). */
export async function adr036Authorization(signer: WalletSigner, data: string): Promise<string> {
  const signature = await signer.signArbitrary(data);
  const json = JSON.stringify({ signer: signer.address, data, pub_key: signature.pub_key, signature: signature.signature });
  return `ADR036 ${btoa(json)}`;
}

export async function addressOf(mnemonic: string): Promise<string> {
  const wallet = await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'tru' });
  return (await wallet.getAccounts())[0]!.address;
}

export async function newMnemonic(): Promise<string> {
  return (await Secp256k1HdWallet.generate(24, { prefix: 'tru' })).mnemonic;
}
