import { bases } from 'multiformats/basics';
import { CID } from 'multiformats/cid';
import type { MultibaseDecoder } from 'multiformats/bases/interface';
import { InvalidCidError } from './errors.js';

/** Every multibase multiformats knows (base32, base36, base58btc, base16, base64url, ...), as one decoder. */
const [first, ...others] = Object.values(bases).map((b) => b.decoder);
const anyBase: MultibaseDecoder<string> = others.reduce<MultibaseDecoder<string>>((a, b) => b.or(a as never), first!);

/** A CID from its string form (CIDv0 `Qm…` or CIDv1 in any multibase); throws InvalidCidError. */
export function parseCid(str: string): CID {
  if (typeof str !== 'string' || str.length === 0 || str.length > 1024) throw new InvalidCidError(`not a CID: ${JSON.stringify(String(str).slice(0, 100))}`);
  try {
    return CID.parse(str, anyBase);
  } catch (err) {
    throw new InvalidCidError(`not a CID: ${JSON.stringify(str.slice(0, 100))} (${(err as Error).message})`);
  }
}
