import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromBase64, generateEd25519Key, signEd25519, toBase64, toUpperHex, validatorAddress } from '@trucom/crypto';

/** The key a validator signs votes and proposals with. */
export interface PrivValidator {
  readonly address: Uint8Array;
  readonly publicKey: Uint8Array;
  sign(bytes: Uint8Array): Uint8Array;
}

/** CometBFT's priv_validator_key.json layout, so operators recognise the file. */
interface PrivValidatorKeyFile {
  address: string;
  pub_key: { type: 'tendermint/PubKeyEd25519'; value: string };
  priv_key: { type: 'tendermint/PrivKeyEd25519'; value: string };
}

export function createPrivValidatorKeyFile(path: string): PrivValidator {
  if (existsSync(path)) throw new Error(`${path} already exists`);
  const key = generateEd25519Key();
  const file: PrivValidatorKeyFile = {
    address: toUpperHex(validatorAddress(key.publicKey)),
    pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(key.publicKey) },
    priv_key: { type: 'tendermint/PrivKeyEd25519', value: toBase64(new Uint8Array([...key.privateKey, ...key.publicKey])) },
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  return loadPrivValidator(path);
}

export function loadPrivValidator(path: string): PrivValidator {
  const file = JSON.parse(readFileSync(path, 'utf8')) as PrivValidatorKeyFile;
  const secret = fromBase64(file.priv_key.value);
  const seed = secret.subarray(0, 32);
  const publicKey = generateEd25519Key(seed).publicKey;
  if (toBase64(publicKey) !== file.pub_key.value) throw new Error(`${path}: public key does not match the private key`);
  return { address: validatorAddress(publicKey), publicKey, sign: (bytes) => signEd25519(seed, bytes) };
}
