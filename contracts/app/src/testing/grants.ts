import type { EncodeObject } from '@cosmjs/proto-signing';
import { accountKeyFromMnemonic, keyHolderKey, moduleAddress, toBase64, type X25519Key } from '@trucom/crypto';
import { COLLATERAL_MODULE } from '@trucom/market';
import type { TestAccount } from './accounts.js';

// ---- grants messages (signed and delivered with deliverTxs/ok/fails of ./market.js) ----

export const msgSetKeyHolderKey = (holder: string, x25519Pubkey: Uint8Array): EncodeObject => ({ typeUrl: '/trucom.grants.v1.MsgSetKeyHolderKey', value: { holder, x25519Pubkey } });
export const msgRegisterContent = (owner: string, content: string, dealId: number, keyIds: readonly string[]): EncodeObject => ({
  typeUrl: '/trucom.grants.v1.MsgRegisterContent',
  value: { owner, content, dealId, keyIds: [...keyIds] },
});
export const msgSetContentDeal = (owner: string, content: string, dealId: number): EncodeObject => ({ typeUrl: '/trucom.grants.v1.MsgSetContentDeal', value: { owner, content, dealId } });
export const msgSetContentKeys = (owner: string, content: string, keys: readonly { keyId: string; holder: string; sealed: Uint8Array }[]): EncodeObject => ({
  typeUrl: '/trucom.grants.v1.MsgSetContentKeys',
  value: { owner, content, keys: [...keys] },
});
export const msgGrant = (owner: string, content: string, grantee: string, expiry = 0): EncodeObject => ({ typeUrl: '/trucom.grants.v1.MsgGrant', value: { owner, content, grantee, expiry } });
export const msgRevoke = (owner: string, content: string, grantee: string): EncodeObject => ({ typeUrl: '/trucom.grants.v1.MsgRevoke', value: { owner, content, grantee } });

// ---- a chain whose genesis has providers (and key holders) ----

/** The X25519 key a gateway derives from its provider account key (what content keys are sealed to). */
export async function testKeyHolderKey(provider: TestAccount): Promise<X25519Key> {
  return keyHolderKey((await accountKeyFromMnemonic(provider.mnemonic)).privateKey);
}

export const GENESIS_PROVIDER_COLLATERAL = 10_000_000n;

/**
 * Genesis market providers (1 GiB at 10 utru/GiB/epoch, endpoints http://127.0.0.1:808{i}) with the
 * bank balance that funds their collateral, and `keyHolders` as grants genesis key holders; spread
 * `appState` into TestChain.start's and add `collateral` to its balances.
 */
export function genesisProviders(providers: readonly TestAccount[], keyHolders: readonly { holder: TestAccount; key: X25519Key }[] = [], marketParams: Record<string, unknown> = { epoch_blocks: 5 }) {
  return {
    collateral: { address: moduleAddress(COLLATERAL_MODULE), coins: `${GENESIS_PROVIDER_COLLATERAL * BigInt(providers.length)}utru` },
    appState: {
      market: {
        params: marketParams,
        providers: providers.map((p, i) => ({ address: p.address, endpoint: `http://127.0.0.1:808${i}`, capacity: 2 ** 30, price: '10', bandwidth_price: '1000', collateral: GENESIS_PROVIDER_COLLATERAL.toString() })),
      },
      grants: { key_holders: keyHolders.map((h) => ({ holder: h.holder.address, x25519_pubkey: toBase64(h.key.publicKey) })) },
    },
  };
}
