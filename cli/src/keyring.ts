import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { accountKeyFromMnemonic, isValidAddress, normalizeMnemonic } from '@trucom/crypto';

/**
 * The "test" keyring: one JSON file per key, `<home>/keyring/<name>.json` = `{name, address, mnemonic}`,
 * mode 0600 in a 0700 directory. The mnemonic is NOT encrypted: for development and devnets only.
 */

export interface KeyEntry {
  readonly name: string;
  readonly address: string;
  readonly mnemonic: string;
}

/** A key found for `--from`: from the keyring, or one of the devnet's funded accounts. */
export interface ResolvedKey extends KeyEntry {
  readonly source: 'keyring' | 'devnet';
}

export type KeyringErrorCode = 'KEY_EXISTS' | 'KEY_NOT_FOUND' | 'INVALID_NAME' | 'INVALID_MNEMONIC' | 'CORRUPT_KEY_FILE';

export class KeyringError extends Error {
  override readonly name = 'KeyringError';
  constructor(
    readonly code: KeyringErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function keyringDir(home: string): string {
  return join(home, 'keyring');
}

export function devnetAccountsFile(home: string): string {
  return join(home, 'devnet', 'accounts.json');
}

export function checkKeyName(name: string): void {
  if (!NAME.test(name)) {
    throw new KeyringError('INVALID_NAME', `invalid key name ${JSON.stringify(name)}: use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
}

/** Checks a BIP39 phrase (word list and checksum) and returns it normalized; KeyringError otherwise. */
export function checkMnemonic(mnemonic: string): string {
  try {
    return normalizeMnemonic(mnemonic);
  } catch (err) {
    throw new KeyringError('INVALID_MNEMONIC', `invalid mnemonic: ${(err as Error).message}`);
  }
}

export class Keyring {
  readonly dir: string;

  constructor(home: string) {
    this.dir = keyringDir(home);
  }

  private file(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  /** Stores a new key; never overwrites one (KEY_EXISTS), even when two processes race. */
  async add(name: string, mnemonic: string): Promise<KeyEntry> {
    checkKeyName(name);
    const phrase = checkMnemonic(mnemonic);
    const { address } = await accountKeyFromMnemonic(phrase);
    const entry: KeyEntry = { name, address, mnemonic: phrase };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Write a private temp file, then hard-link it into place: the link fails if the name is taken,
    // and a reader never sees a half-written key.
    const tmp = join(this.dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(tmp, `${JSON.stringify(entry, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    try {
      await link(tmp, this.file(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyringError('KEY_EXISTS', `a key named ${JSON.stringify(name)} already exists in ${this.dir}`);
      throw err;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    return entry;
  }

  async get(name: string): Promise<KeyEntry | undefined> {
    if (!NAME.test(name)) return undefined;
    let text: string;
    try {
      text = await readFile(this.file(name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return parseEntry(text, this.file(name), name);
  }

  /** Every key, sorted by name. */
  async list(): Promise<KeyEntry[]> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const names = files.filter((f) => f.endsWith('.json') && NAME.test(f.slice(0, -5))).map((f) => f.slice(0, -5));
    const entries = await Promise.all(names.map((n) => this.get(n)));
    return entries.filter((e): e is KeyEntry => e !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function parseEntry(text: string, source: string, expectedName?: string): KeyEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new KeyringError('CORRUPT_KEY_FILE', `${source}: not JSON (${(err as Error).message})`);
  }
  return checkEntry(value, source, expectedName);
}

function checkEntry(value: unknown, source: string, expectedName?: string): KeyEntry {
  const v = value as Partial<Record<keyof KeyEntry, unknown>> | null;
  if (typeof v !== 'object' || v === null || typeof v.name !== 'string' || typeof v.address !== 'string' || typeof v.mnemonic !== 'string') {
    throw new KeyringError('CORRUPT_KEY_FILE', `${source}: expected {"name","address","mnemonic"} strings`);
  }
  if (expectedName !== undefined && v.name !== expectedName) throw new KeyringError('CORRUPT_KEY_FILE', `${source}: holds key ${JSON.stringify(v.name)}, not ${JSON.stringify(expectedName)}`);
  if (!isValidAddress(v.address)) throw new KeyringError('CORRUPT_KEY_FILE', `${source}: invalid address ${JSON.stringify(v.address)}`);
  return { name: v.name, address: v.address, mnemonic: v.mnemonic };
}

/** The devnet's funded accounts (`<home>/devnet/accounts.json`); none when there is no devnet. */
export async function readDevnetAccounts(home: string): Promise<KeyEntry[]> {
  const file = devnetAccountsFile(home);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new KeyringError('CORRUPT_KEY_FILE', `${file}: not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(value)) throw new KeyringError('CORRUPT_KEY_FILE', `${file}: expected an array of accounts`);
  return value.map((v, i) => checkEntry(v, `${file}[${i}]`));
}

/** Keyring keys, then devnet accounts whose names no keyring key shadows. */
export async function listKeys(home: string): Promise<ResolvedKey[]> {
  const keys = await new Keyring(home).list();
  const taken = new Set(keys.map((k) => k.name));
  const devnet = (await readDevnetAccounts(home)).filter((a) => !taken.has(a.name));
  return [...keys.map((k) => ({ ...k, source: 'keyring' as const })), ...devnet.map((a) => ({ ...a, source: 'devnet' as const }))];
}

/**
 * The key behind `--from`: a keyring key of that name, else a devnet account of that name. An
 * address is accepted too and matched against both. KEY_NOT_FOUND otherwise.
 */
export async function resolveKey(home: string, nameOrAddress: string): Promise<ResolvedKey> {
  if (isValidAddress(nameOrAddress)) {
    const match = (await listKeys(home)).find((k) => k.address === nameOrAddress);
    if (match) return match;
    throw new KeyringError('KEY_NOT_FOUND', `no key for address ${nameOrAddress} in ${keyringDir(home)} or ${devnetAccountsFile(home)}`);
  }
  const key = await new Keyring(home).get(nameOrAddress);
  if (key) return { ...key, source: 'keyring' };
  const account = (await readDevnetAccounts(home)).find((a) => a.name === nameOrAddress);
  if (account) return { ...account, source: 'devnet' };
  throw new KeyringError('KEY_NOT_FOUND', `no key named ${nameOrAddress} (looked in ${keyringDir(home)} and ${devnetAccountsFile(home)})`);
}
