import type { TrucomQueries } from '@trucom/client';
import { cryptoBoxSealOpen, type X25519Key } from '@trucom/crypto';
import { TtlCache } from '../chain/ttl-cache.js';
import type { KeyAuthority } from './key-server.js';

/**
 * A grant verdict is reused for at most this long: less than one block interval, so once a revoke
 * commits, the next block's time has come before any gateway can still answer from an older verdict.
 */
export const GRANT_TTL_MS = 250;
const KEY_TTL_MS = 60_000;

/** Grants and sealed content keys from the chain, opened with this gateway's key-holder X25519 key. */
export class ChainKeyAuthority implements KeyAuthority {
  private readonly grants = new TtlCache<boolean>(GRANT_TTL_MS);
  private readonly keys = new TtlCache<Uint8Array | undefined>(KEY_TTL_MS);

  constructor(
    private readonly chain: Pick<TrucomQueries, 'grant' | 'contentKey'>,
    private readonly holder: string,
    private readonly x25519: X25519Key,
  ) {}

  grantActive(content: string, grantee: string): Promise<boolean> {
    return this.grants.get(`${content}\n${grantee}`, async () => (await this.chain.grant(content, grantee))?.active === true);
  }

  contentKey(content: string, keyId: string): Promise<Uint8Array | undefined> {
    return this.keys.get(`${content}\n${keyId}`, async () => {
      const sealed = await this.chain.contentKey(content, keyId, this.holder);
      return sealed ? cryptoBoxSealOpen(sealed, this.x25519) : undefined;
    });
  }
}
