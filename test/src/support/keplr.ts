/**
 * A stand-in for the Keplr extension in a Playwright browser context: `window.keplr` with the calls the
 * dashboard makes (experimentalSuggestChain, enable, getKey, getOfflineSigner), whose keys and
 * signatures are a real cosmjs DirectSecp256k1HdWallet running in the test process (page bindings
 * carry the sign docs across, base64-encoded). It records what the page asked for.
 */
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import type { BrowserContext } from 'playwright-core';

export interface KeplrRecord {
  /** Every chain info the page suggested. */
  readonly suggested: { chainId: string }[];
  readonly enabled: string[];
  /** How many sign docs were signed. */
  signed: number;
}

interface WireSignDoc {
  bodyBytes: string;
  authInfoBytes: string;
  chainId: string;
  accountNumber: string;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

export async function injectKeplr(context: BrowserContext, mnemonic: string, name = 'keplr-test'): Promise<KeplrRecord> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'tru' });
  const [account] = await wallet.getAccounts();
  const record: KeplrRecord = { suggested: [], enabled: [], signed: 0 };
  // like Keplr: a chain must be known (suggested) before it can be enabled, and enabled before it signs
  await context.exposeFunction('__keplrSuggest', (info: { chainId: string }) => void record.suggested.push(info));
  await context.exposeFunction('__keplrEnable', (chainId: string) => {
    if (!record.suggested.some((i) => i.chainId === chainId)) throw new Error(`There is no chain info for ${chainId}`);
    record.enabled.push(chainId);
  });
  await context.exposeFunction('__keplrAccount', () => ({ name, address: account!.address, algo: account!.algo, pubkey: b64(account!.pubkey) }));
  await context.exposeFunction('__keplrSignDirect', async (signer: string, doc: WireSignDoc) => {
    if (!record.enabled.includes(doc.chainId)) throw new Error(`${doc.chainId} is not enabled`);
    const { signed, signature } = await wallet.signDirect(signer, { bodyBytes: unb64(doc.bodyBytes), authInfoBytes: unb64(doc.authInfoBytes), chainId: doc.chainId, accountNumber: BigInt(doc.accountNumber) });
    record.signed++;
    return { signed: { bodyBytes: b64(signed.bodyBytes), authInfoBytes: b64(signed.authInfoBytes), chainId: signed.chainId, accountNumber: String(signed.accountNumber) }, signature };
  });
  await context.addInitScript(() => {
    // runs in the page: the bindings above are globals there
    type Account = { name: string; address: string; algo: string; pubkey: string };
    const g = globalThis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>> & { keplr?: unknown };
    const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
    const fromB64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const account = async () => {
      const a = (await g.__keplrAccount!()) as Account;
      return { ...a, pubkey: fromB64(a.pubkey) };
    };
    g.keplr = {
      experimentalSuggestChain: (info: unknown) => g.__keplrSuggest!(info),
      enable: (chainId: string) => g.__keplrEnable!(chainId),
      getKey: async () => {
        const a = await account();
        return { name: a.name, bech32Address: a.address, pubKey: a.pubkey, algo: a.algo };
      },
      getOfflineSigner: () => ({
        getAccounts: async () => {
          const a = await account();
          return [{ address: a.address, algo: a.algo, pubkey: a.pubkey }];
        },
        signDirect: async (signer: string, doc: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array; chainId: string; accountNumber: bigint }) => {
          const r = (await g.__keplrSignDirect!(signer, { bodyBytes: toB64(doc.bodyBytes), authInfoBytes: toB64(doc.authInfoBytes), chainId: doc.chainId, accountNumber: String(doc.accountNumber) })) as {
            signed: { bodyBytes: string; authInfoBytes: string; chainId: string; accountNumber: string };
            signature: unknown;
          };
          return { signed: { bodyBytes: fromB64(r.signed.bodyBytes), authInfoBytes: fromB64(r.signed.authInfoBytes), chainId: r.signed.chainId, accountNumber: BigInt(r.signed.accountNumber) }, signature: r.signature };
        },
      }),
      signArbitrary: () => Promise.reject(new Error('signArbitrary is not part of this stand-in')),
    };
  });
  return record;
}
