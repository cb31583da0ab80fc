import { fromBase64, isValidAddress } from '@trucom/crypto';
import type { Context } from '@trucom/chain';
import type { GrantsKeeper } from './keeper.js';
import { checkHolderKey } from './msgs.js';

/** `app_state.grants` of genesis.json. Every field is optional. */
export interface GrantsGenesis {
  /** Key holders from block 1: each must be a market genesis provider (market's genesis runs first). */
  readonly key_holders?: readonly GenesisKeyHolder[];
}

export interface GenesisKeyHolder {
  readonly holder: string;
  /** Base64 of the 32-byte X25519 public key. */
  readonly x25519_pubkey: string;
}

export function initGrantsGenesis(keeper: GrantsKeeper, ctx: Context, g: GrantsGenesis = {}): void {
  for (const h of g.key_holders ?? []) {
    if (!isValidAddress(h.holder)) throw new Error(`grants genesis: invalid key holder address ${h.holder}`);
    if (keeper.getKeyHolder(ctx.store, h.holder)) throw new Error(`grants genesis: duplicate key holder ${h.holder}`);
    let pubkey: Uint8Array;
    try {
      pubkey = fromBase64(h.x25519_pubkey);
      checkHolderKey(pubkey);
    } catch (err) {
      throw new Error(`grants genesis: key holder ${h.holder}: ${(err as Error).message}`);
    }
    try {
      keeper.setKeyHolderKey(ctx, h.holder, pubkey);
    } catch (err) {
      throw new Error(`grants genesis: key holder ${h.holder}: ${(err as Error).message}`);
    }
  }
}
