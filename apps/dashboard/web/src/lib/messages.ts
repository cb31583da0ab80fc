import { emptyState, identityFromMnemonic, Messenger, msgAnchor, queryAnchor, type GroupRecord, type MessengerState, type StoredMessage, type VerifyResult } from '@trucom/messaging';
import { sendTx } from './chain';
import type { AppConfig } from './config';
import { openText, sealText, type Sealed } from './keystore';
import type { WalletSigner } from './signer';

/**
 * The Messages page's side of libs/messaging: the same seed-derived identity as `trucom msg`, with
 * the Messenger state (contacts, ratchet sessions, messages) in localStorage, encrypted with the
 * wallet passphrase exactly as the seed phrase is (keystore). Operations run one at a time: an inbox
 * poll and a send must never advance the same ratchet concurrently.
 */
const storageKey = (address: string) => `trucom.messages.v1.${address}`;

export class MessagesSession {
  private queue: Promise<unknown> = Promise.resolve();
  private saved: string;

  private constructor(
    readonly messenger: Messenger,
    private readonly address: string,
    private readonly passphrase: string,
  ) {
    this.saved = JSON.stringify(messenger.state);
  }

  static async open(address: string, mnemonic: string, passphrase: string): Promise<MessagesSession> {
    const raw = localStorage.getItem(storageKey(address));
    let state = emptyState();
    if (raw) {
      try {
        state = JSON.parse(await openText(JSON.parse(raw) as Sealed, passphrase)) as MessengerState;
      } catch {
        // The wallet unlocked with this passphrase, so the stored messages were sealed under an earlier one.
        throw new Error(`The messages kept in this browser for ${address} were encrypted with another passphrase than the wallet's now (was the wallet imported again?). Import it again with the earlier passphrase to read them.`);
      }
    }
    return new MessagesSession(new Messenger(await identityFromMnemonic(mnemonic), state), address, passphrase);
  }

  /** Runs `op` after the previous one and stores the state after it, even when it failed half-way (a send's outbox). */
  run<T>(op: (m: Messenger) => Promise<T> | T): Promise<T> {
    const next = this.queue.then(async () => {
      try {
        return await op(this.messenger);
      } finally {
        await this.persist();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Encrypting costs a PBKDF2 derivation, so an unchanged state (an empty poll) is not written again. */
  private async persist(): Promise<void> {
    const json = JSON.stringify(this.messenger.state);
    if (json === this.saved) return;
    localStorage.setItem(storageKey(this.address), JSON.stringify(await sealText(json, this.passphrase)));
    this.saved = json;
  }
}

/** Anchors the pending sent-message hashes with one MsgAnchor signed by the wallet. */
export function anchorPending(session: MessagesSession, config: AppConfig, signer: WalletSigner) {
  return session.run((m) =>
    m.anchor(async (root, count) => {
      const r = await sendTx(config, signer, (owner) => [msgAnchor(owner, root, count)]);
      return { txhash: r.transactionHash, height: r.height };
    }),
  );
}

export function verifyStored(session: MessagesSession, config: AppConfig, id: string): Promise<VerifyResult> {
  return session.messenger.verify(id, (root) => queryAnchor(config.rpc, root));
}

/** A conversation: one contact, or one group (whose messages fan out pairwise). */
export type Conversation = { readonly kind: 'contact'; readonly name: string } | { readonly kind: 'group'; readonly group: GroupRecord };

export const conversationName = (c: Conversation) => (c.kind === 'contact' ? c.name : c.group.name);

/** The messages of a conversation, oldest first (sent time, then the sender's counter). */
export function conversationMessages(state: MessengerState, c: Conversation): StoredMessage[] {
  const mine = (m: StoredMessage) => (c.kind === 'group' ? m.message.group?.id === c.group.id : !m.message.group && m.contacts.length === 1 && m.contacts[0] === c.name);
  return Object.values(state.messages)
    .filter(mine)
    .sort((a, b) => a.message.sent - b.message.sent || a.message.seq - b.message.seq || (a.message.from < b.message.from ? -1 : 1));
}
