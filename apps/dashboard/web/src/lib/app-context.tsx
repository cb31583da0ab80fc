import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppConfig } from './config';
import { addressOf } from './chain';
import { decryptMnemonic, encryptMnemonic, forgetStoredWallet, loadStoredWallet, saveStoredWallet, type StoredWallet } from './keystore';
import { connectKeplr, seedSigner, type Keplr, type WalletSigner } from './signer';

export interface WalletState {
  /** The encrypted wallet in this browser, if any. */
  readonly stored?: StoredWallet;
  /** Set while unlocked: the seed phrase, in memory only. */
  readonly mnemonic?: string;
  /** Set while unlocked, in memory only: what the Messages page encrypts its stored state with. */
  readonly passphrase?: string;
  /** Who signs every page's transactions and statements: Keplr once connected, else the unlocked seed phrase. */
  readonly signer?: WalletSigner;
  /** The signer's address, or the locked wallet's. */
  readonly address?: string;
  save(mnemonic: string, passphrase: string): Promise<void>;
  unlock(passphrase: string): Promise<void>;
  lock(): void;
  forget(): void;
  connectKeplr(keplr: Keplr): Promise<void>;
  disconnectKeplr(): void;
}

interface AppState {
  readonly config: AppConfig;
  readonly wallet: WalletState;
  readonly path: string;
  navigate(path: string): void;
}

const Ctx = createContext<AppState | undefined>(undefined);

export function useApp(): AppState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useApp outside the app');
  return v;
}

export function AppProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  const [stored, setStored] = useState<StoredWallet | undefined>(() => loadStoredWallet());
  const [mnemonic, setMnemonic] = useState<string | undefined>();
  const [seed, setSeed] = useState<WalletSigner | undefined>();
  const [keplr, setKeplr] = useState<{ api: Keplr; signer: WalletSigner } | undefined>();
  const [passphrase, setPassphrase] = useState<string | undefined>();
  const [path, setPath] = useState(() => location.pathname);

  useEffect(() => {
    const onPop = () => setPath(location.pathname);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((to: string) => {
    if (to !== location.pathname) history.pushState(null, '', to);
    setPath(to);
    scrollTo(0, 0);
  }, []);

  // Keplr tells the page when its user switches account: sign with the new one from then on.
  useEffect(() => {
    if (!keplr) return;
    const onChange = () => void connectKeplr(keplr.api).then((signer) => setKeplr({ api: keplr.api, signer }), () => setKeplr(undefined));
    addEventListener('keplr_keystorechange', onChange);
    return () => removeEventListener('keplr_keystorechange', onChange);
  }, [keplr]);

  const unlocked = useCallback(async (phrase: string) => {
    setSeed(await seedSigner(phrase));
    setMnemonic(phrase);
  }, []);

  const wallet = useMemo<WalletState>(
    () => ({
      stored,
      mnemonic,
      passphrase,
      signer: keplr?.signer ?? seed,
      address: keplr?.signer.address ?? stored?.address,
      async save(phrase, passphrase) {
        const clean = phrase.trim().split(/\s+/).join(' ').toLowerCase();
        const address = await addressOf(clean);
        if (passphrase.length < 8) throw new Error('Choose a passphrase of at least 8 characters.');
        const s = await encryptMnemonic(address, clean, passphrase);
        saveStoredWallet(s);
        setStored(s);
        await unlocked(clean);
        setPassphrase(passphrase);
      },
      async unlock(passphrase) {
        if (!stored) throw new Error('No wallet in this browser yet.');
        await unlocked(await decryptMnemonic(stored, passphrase));
        setPassphrase(passphrase);
      },
      lock() {
        setMnemonic(undefined);
        setSeed(undefined);
        setPassphrase(undefined);
      },
      forget() {
        forgetStoredWallet();
        setStored(undefined);
        setMnemonic(undefined);
        setSeed(undefined);
        setPassphrase(undefined);
      },
      async connectKeplr(api) {
        setKeplr({ api, signer: await connectKeplr(api) });
      },
      disconnectKeplr() {
        setKeplr(undefined);
      },
    }),
    [stored, mnemonic, passphrase, seed, keplr, unlocked],
  );

  return <Ctx.Provider value={{ config, wallet, path, navigate }}>{children}</Ctx.Provider>;
}
