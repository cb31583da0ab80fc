import { readFile } from 'node:fs/promises';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { writeFileAtomic } from './fs-atomic.js';

/** On-disk form of the node identity: the libp2p protobuf encoding of the private key, base64. */
interface KeyFile {
  type: 'Ed25519';
  privateKey: string;
}

/**
 * Loads the node's libp2p identity from `path`, creating an Ed25519 key there (mode 0600) on first use.
 * Accepts the JSON form written here or raw protobuf bytes.
 */
export async function loadOrCreateIdentity(path: string): Promise<PrivateKey> {
  let raw: Buffer | undefined;
  try {
    raw = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (raw !== undefined) return decodeKey(raw, path);
  const key = await generateKeyPair('Ed25519');
  const file: KeyFile = { type: 'Ed25519', privateKey: Buffer.from(privateKeyToProtobuf(key)).toString('base64') };
  await writeFileAtomic(path, JSON.stringify(file, null, 2) + '\n', 0o600);
  return key;
}

function decodeKey(raw: Buffer, path: string): PrivateKey {
  const text = raw.toString('utf8').trim();
  if (text.startsWith('{')) {
    const parsed = JSON.parse(text) as Partial<KeyFile>;
    if (typeof parsed.privateKey !== 'string') throw new Error(`${path}: no "privateKey" field`);
    return privateKeyFromProtobuf(Buffer.from(parsed.privateKey, 'base64'));
  }
  return privateKeyFromProtobuf(raw);
}

/** The peer id of the identity at `path` (created if missing), e.g. to write bootstrap addresses. */
export async function nodePeerId(path: string): Promise<string> {
  return peerIdFromPrivateKey(await loadOrCreateIdentity(path)).toString();
}
