import { Secp256k1HdWallet, type StdSignature } from '@cosmjs/amino';
import { DirectSecp256k1HdWallet, type OfflineSigner } from '@cosmjs/proto-signing';
import { adr036SignDoc } from '@trucom/crypto';

/** Whoever signs for the wallet: the seed phrase kept (encrypted) in this browser, or Keplr. */
export interface WalletSigner {
  readonly kind: 'seed' | 'keplr';
  readonly address: string;
  /** Keplr's name for the account. */
  readonly name?: string;
  /** Signs transactions (SIGN_MODE_DIRECT). */
  readonly offline: OfflineSigner;
  /** An ADR-036 signature of a statement: what gateways ask of uploads and key requests. */
  signArbitrary(data: string): Promise<StdSignature>;
}

export async function seedSigner(mnemonic: string): Promise<WalletSigner> {
  const [direct, amino] = await Promise.all([DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'tru' }), Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'tru' })]);
  const address = (await direct.getAccounts())[0]!.address;
  return { kind: 'seed', address, offline: direct, signArbitrary: async (data) => (await amino.signAmino(address, adr036SignDoc(address, data))).signature };
}

/** The part of Keplr's injected `window.keplr` the dashboard uses. */
export interface Keplr {
  experimentalSuggestChain(chainInfo: unknown): Promise<void>;
  enable(chainId: string): Promise<void>;
  getOfflineSigner(chainId: string): OfflineSigner;
  getKey(chainId: string): Promise<{ name: string; bech32Address: string }>;
  signArbitrary(chainId: string, signer: string, data: string): Promise<StdSignature>;
}

export const KEPLR_INSTALL_URL = 'https://www.keplr.app/get';

export function injectedKeplr(): Keplr | undefined {
  return (window as { keplr?: Keplr }).keplr;
}

/** Offers this chain to Keplr (the dashboard serves its chain info), asks the user to allow the dashboard, and signs with Keplr's account from then on. */
export async function connectKeplr(keplr: Keplr): Promise<WalletSigner> {
  const res = await fetch('/keplr-chain-info.json', { cache: 'no-cache' });
  if (!res.ok) throw new Error(`the dashboard server did not give the chain info for Keplr (${res.status})`);
  const info = (await res.json()) as { chainId: string };
  await keplr.experimentalSuggestChain(info);
  await keplr.enable(info.chainId);
  const offline = keplr.getOfflineSigner(info.chainId);
  const [account] = await offline.getAccounts();
  if (!account) throw new Error('Keplr gave no account for this chain.');
  const { name } = await keplr.getKey(info.chainId);
  return { kind: 'keplr', address: account.address, name, offline, signArbitrary: (data) => keplr.signArbitrary(info.chainId, account.address, data) };
}
