import { useEffect, useState } from 'react';
import { useApp } from '../lib/app-context';
import { plainError } from '../lib/errors';
import { anchorPending, conversationName, MessagesSession, type Conversation } from '../lib/messages';
import { QrCode } from '../lib/qr';
import { ActionForm, ActionResult, ErrorNote, NeedsWallet, Note, useAction, usePolled } from '../lib/ui';
import { ConversationView } from './messages-conversation';

/** How often an open Messages page reads its mailbox gateways. */
const POLL_MS = 3000;

export function MessagesPage() {
  return (
    <section aria-labelledby="messages-title">
      <h1 id="messages-title">Messages</h1>
      <p>
        End-to-end encrypted messages, with keys from your seed phrase (the same as <code>trucom msg</code>). They wait in mailboxes on several gateways, which see only
        ciphertext; the hashes of what you send can be anchored on the chain, so anyone you wrote to can prove a message existed unaltered.
      </p>
      <NeedsWallet what="read and send messages">
        <Messaging />
      </NeedsWallet>
    </section>
  );
}

function Messaging() {
  const { wallet } = useApp();
  const [session, setSession] = useState<MessagesSession>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let live = true;
    setSession(undefined);
    if (!wallet.mnemonic) {
      setError('Messages need your seed phrase (your messaging keys are derived from it, as in trucom msg): Keplr does not give it out, so import the seed phrase on the Wallet page.');
      return;
    }
    if (!wallet.passphrase) {
      setError('Lock and unlock your wallet again: the Messages page needs its passphrase to keep your messages encrypted here.');
      return;
    }
    // Keyed by the seed phrase's own address: the state belongs to the keys derived from it.
    MessagesSession.open(wallet.stored!.address, wallet.mnemonic, wallet.passphrase)
      .then((s) => live && (setSession(s), setError(undefined)))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [wallet.stored, wallet.mnemonic, wallet.passphrase]);
  if (!session) return error ? <ErrorNote error={error} /> : <Note>Opening your messages…</Note>;
  return <Mailbox session={session} />;
}

function Mailbox({ session }: { session: MessagesSession }) {
  const [, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const state = session.messenger.state;
  const hasMailbox = state.gateways.length > 0;
  const inbox = usePolled(async () => (hasMailbox ? session.run((m) => m.inbox()) : undefined), [session, hasMailbox], hasMailbox ? POLL_MS : 0);
  const conversations: Conversation[] = [
    ...Object.keys(state.contacts).map((name): Conversation => ({ kind: 'contact', name })),
    ...Object.values(state.groups).map((group): Conversation => ({ kind: 'group', group })),
  ];
  const [selected, setSelected] = useState<string>();
  const current = conversations.find((c) => conversationName(c) === selected) ?? conversations[0];
  return (
    <>
      <Invite session={session} changed={changed} />
      {hasMailbox && (
        <div aria-live="polite">
          <ErrorNote error={inbox.error} />
          {inbox.data?.refused.map((r) => (
            <p key={r} className="warn">
              A message was refused: {plainError(r.replace(/^envelope \w+: /, ''))}
            </p>
          ))}
          {inbox.data && inbox.data.unreachable.length > 0 && <p className="warn">Some of your mailbox gateways could not be read: {inbox.data.unreachable.join(', ')}. Messages wait there until they are back.</p>}
        </div>
      )}
      <AddContact session={session} changed={changed} />
      {conversations.length > 0 && (
        <div className="card">
          <h2>Conversations</h2>
          <ul className="conversations" aria-label="Conversations">
            {conversations.map((c) => (
              <li key={conversationName(c)}>
                <button type="button" className={c === current ? undefined : 'secondary'} aria-pressed={c === current} onClick={() => setSelected(conversationName(c))}>
                  {c.kind === 'group' ? `${c.group.name} (group)` : c.name}
                </button>
              </li>
            ))}
          </ul>
          {current && <ConversationView key={conversationName(current)} session={session} conversation={current} changed={changed} refresh={inbox.reload} />}
        </div>
      )}
      <Anchor session={session} changed={changed} />
      {Object.keys(state.contacts).length >= 2 && <NewGroup session={session} changed={changed} />}
    </>
  );
}

interface PartProps {
  readonly session: MessagesSession;
  readonly changed: () => void;
}

function Invite({ session, changed }: PartProps) {
  const { config } = useApp();
  const [name, setName] = useState('');
  const invite = session.messenger.state.invite;
  if (invite)
    return (
      <div className="card">
        <h2>Your invite</h2>
        <p>Show this code (or its QR code) to someone in person; once each of you has added the other's code, you can write to each other.</p>
        <label>
          Your invite code
          <textarea readOnly rows={4} value={invite} data-testid="my-invite" spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
        </label>
        <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(invite)}>
          Copy invite code
        </button>
        <QrCode value={invite} label="QR code of your invite code" />
      </div>
    );
  return (
    <ActionForm
      title="Your invite"
      submit="Create my invite"
      onSubmit={async () => {
        await session.run((m) => m.invite(name.trim(), config.gateways));
        changed();
      }}
    >
      <p>Creating your invite opens your mailbox on {config.gateways.length} gateways; the code names them, with your public keys.</p>
      <label>
        Your name (what your contacts see)
        <input name="invite-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} autoComplete="nickname" />
      </label>
    </ActionForm>
  );
}

function AddContact({ session, changed }: PartProps) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  return (
    <ActionForm
      title="Add a contact"
      submit="Add contact"
      onSubmit={async () => {
        const c = await session.run((m) => m.addContact(code, name.trim() || undefined));
        setCode('');
        setName('');
        changed();
        return `Added ${c.name} to your contacts.`;
      }}
    >
      <label>
        Their invite code
        <textarea name="contact-invite" rows={3} value={code} onChange={(e) => setCode(e.target.value)} required spellCheck={false} autoComplete="off" placeholder="trucom-invite1:…" />
      </label>
      <label>
        Contact name (optional: the name in their code)
        <input name="contact-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </label>
    </ActionForm>
  );
}

function NewGroup({ session, changed }: PartProps) {
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  return (
    <ActionForm
      title="New group"
      submit="Create group"
      onSubmit={async () => {
        const g = await session.run((m) => m.createGroup(name.trim(), members));
        setName('');
        setMembers([]);
        changed();
        return `Created the group ${g.name} with ${g.members.join(', ')}.`;
      }}
    >
      <label>
        Group name
        <input name="group-name" value={name} onChange={(e) => setName(e.target.value)} required autoComplete="off" />
      </label>
      <fieldset>
        <legend>Members (two or more contacts)</legend>
        {Object.keys(session.messenger.state.contacts).map((c) => (
          <label key={c} className="inline">
            <input type="checkbox" checked={members.includes(c)} onChange={(e) => setMembers(e.target.checked ? [...members, c] : members.filter((x) => x !== c))} /> {c}
          </label>
        ))}
      </fieldset>
    </ActionForm>
  );
}

function Anchor({ session, changed }: PartProps) {
  const { config, wallet } = useApp();
  const action = useAction();
  const pending = session.messenger.state.pending.length;
  return (
    <div className="card">
      <h2>Anchor on chain</h2>
      <p data-testid="pending">{pending === 0 ? 'Every message you sent is anchored.' : `${pending} sent message${pending === 1 ? ' is' : 's are'} not anchored yet.`}</p>
      <p>Anchoring puts one Merkle root of their hashes on the chain (one signature, a small fee) and sends each recipient the proofs of the messages they got.</p>
      <button
        type="button"
        disabled={action.busy || pending === 0}
        onClick={() =>
          void action.run(async () => {
            const r = await anchorPending(session, config, wallet.signer!);
            changed();
            return r ? `Anchored ${r.count} message hash${r.count === 1 ? '' : 'es'} at height ${r.height} (root ${r.root.slice(0, 16)}…).` : 'Nothing to anchor.';
          })
        }
      >
        Anchor pending messages
      </button>
      <ActionResult action={action} />
    </div>
  );
}
