import { SEALED_BOX_OVERHEAD } from '@trucom/crypto';

/** Content ids: chosen by the publisher, URL- and DNS-safe. */
export const CONTENT_ID = /^[a-z0-9-]{1,64}$/;
/** Key ids travel in key URIs (`/keys/{content}/{keyId}`): URL-safe, no "/". */
export const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** AES-128 content keys (HLS METHOD=AES-128). */
export const CONTENT_KEY_BYTES = 16;
/** A sealed content key: crypto_box_seal of 16 bytes = 64 bytes. */
export const SEALED_KEY_BYTES = CONTENT_KEY_BYTES + SEALED_BOX_OVERHEAD;
/** Key ids one content may declare (a 2 h video rotating every 6 s segment would need 1200). */
export const MAX_KEY_IDS = 4096;
/** (key id, holder) entries in one MsgSetContentKeys (64 bytes each: 1024 fit a tx easily). */
export const MAX_KEYS_PER_MSG = 1024;
