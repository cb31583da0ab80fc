import type { TrucomQueries } from '@trucom/client';
import { cryptoBoxSealOpen, type X25519Key } from '@trucom/crypto';
import { TtlCache } from '../chain/ttl-cache.js';
import type { KeyAuthority } from './key-server.js';

/**
 * A grant verdict is fresh for GRANT_TTL_MS; until GRANT_MAX_AGE_MS it is still served while a
 * background query replaces it, so a key request never waits on the chain (the key-request p99),
 * yet no verdict older than one block interval (1 s) answers: once a revoke commits, refusal starts
 * by the next block.
 */
export const GRANT_TTL_MS = 250;
export const GRANT_MAX_AGE_MS = 1000;
const KEY_TTL_MS = 60_000;

/** Grants and sealed content keys from the chain, opened with this gateway's key-holder X25519 key. */
export class ChainKeyAuthority implements KeyAuthority {
  private readonly grants = new TtlCache<boolean>(GRANT_TTL_MS, { staleMs: GRANT_MAX_AGE_MS - GRANT_TTL_MS });
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
