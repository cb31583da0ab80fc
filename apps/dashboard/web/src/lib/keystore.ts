/**
 * The seed phrase, kept only in this browser: encrypted with AES-GCM under a key derived from the
 * user's passphrase (PBKDF2-SHA-256, 310,000 iterations, random salt) in localStorage.
 */
const STORAGE_KEY = 'trucom.wallet.v1';
const ITERATIONS = 310_000;

/** Text encrypted under a passphrase: what the wallet keeps of its seed phrase (and the Messages page of its state). */
export interface Sealed {
  readonly salt: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly iterations: number;
}

export interface StoredWallet extends Sealed {
  readonly address: string;
}

function b64(b: Uint8Array): string {
  // Chunked: spreading a large state (many messages) at once would overflow the argument list.
  let binary = '';
  for (let i = 0; i < b.length; i += 8192) binary += String.fromCharCode(...b.subarray(i, i + 8192));
  return btoa(binary);
}
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', salt: salt as BufferSource, iterations, hash: 'SHA-256' }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export async function sealText(text: string, passphrase: string): Promise<Sealed> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveKey(passphrase, salt, ITERATIONS);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(text)));
  return { salt: b64(salt), iv: b64(iv), ciphertext: b64(ct), iterations: ITERATIONS };
}

export async function openText(sealed: Sealed, passphrase: string): Promise<string> {
  const key = await deriveKey(passphrase, unb64(sealed.salt), sealed.iterations);
  try {
    const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(sealed.iv) }, key, unb64(sealed.ciphertext));
    return new TextDecoder().decode(pt);
  } catch {
    throw new Error('Wrong passphrase.');
  }
}

export async function encryptMnemonic(address: string, mnemonic: string, passphrase: string): Promise<StoredWallet> {
  return { address, ...(await sealText(mnemonic, passphrase)) };
}

export const decryptMnemonic = (stored: StoredWallet, passphrase: string): Promise<string> => openText(stored, passphrase);

export function loadStoredWallet(): StoredWallet | undefined {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as StoredWallet) : undefined;
  } catch {
    return undefined;
  }
}

export function saveStoredWallet(w: StoredWallet): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(w));
}

export function forgetStoredWallet(): void {
  localStorage.removeItem(STORAGE_KEY);
}
