import { useState } from 'react';
import type { StoredMessage, VerifyResult } from '@trucom/messaging';
import { useApp } from '../lib/app-context';
import { conversationMessages, conversationName, verifyStored, type Conversation, type MessagesSession } from '../lib/messages';
import { ActionResult, ErrorNote, useAction } from '../lib/ui';

/** One conversation: its messages in order, each verifiable against the chain, and a box to write. */
export function ConversationView({ session, conversation, changed, refresh }: { session: MessagesSession; conversation: Conversation; changed: () => void; refresh: () => void }) {
  const [text, setText] = useState('');
  const send = useAction();
  const name = conversationName(conversation);
  const title = conversation.kind === 'group' ? `Group ${name} (${conversation.group.members.join(', ')})` : `Conversation with ${name}`;
  const messages = conversationMessages(session.messenger.state, conversation);
  return (
    <section aria-labelledby="conversation-title">
      <h3 id="conversation-title">{title}</h3>
      {messages.length === 0 ? (
        <p>No messages yet.</p>
      ) : (
        <ol className="messages" aria-label={`Messages, ${title}`} data-testid="messages">
          {messages.map((m) => (
            <MessageItem key={m.id} session={session} message={m} />
          ))}
        </ol>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send.run(async () => {
            try {
              const d = await session.run((m) => m.send(name, text));
              setText('');
              const partial = d.recipients.filter((r) => r.failed.length > 0);
              return partial.length ? `Sent; ${partial.map((r) => `${r.failed.length} gateway(s) of ${r.contact}`).join(', ')} did not take it yet and are retried.` : undefined;
            } finally {
              changed();
            }
          });
        }}
      >
        <label>
          Message to {name}
          <textarea
            name="message"
            rows={2}
            value={text}
            onChange={(e) => setText(e.target.value)}
            required
            onKeyDown={(e) => {
              // Enter sends, Shift+Enter starts a new line: as in every chat.
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
        </label>
        <button type="submit" disabled={send.busy}>
          Send
        </button>
        <button type="button" className="secondary" onClick={refresh}>
          Check for new messages
        </button>
        <ActionResult action={send} />
      </form>
    </section>
  );
}

function MessageItem({ session, message: m }: { session: MessagesSession; message: StoredMessage }) {
  const { config } = useApp();
  const [result, setResult] = useState<VerifyResult>();
  const verify = useAction();
  const sender = m.direction === 'out' ? 'You' : m.contacts[0]!;
  const sent = new Date(m.message.sent);
  return (
    <li data-testid="message" data-direction={m.direction}>
      <span className="sender">{sender}</span> <time dateTime={sent.toISOString()}>{sent.toLocaleString()}</time>
      <p className="text">{m.message.text}</p>
      <span className="small">{m.proof ? 'anchored' : 'not anchored yet'}</span>{' '}
      <button type="button" className="secondary" disabled={verify.busy} aria-label={`Verify the message "${m.message.text.slice(0, 40)}" from ${sender}`} onClick={() => void verify.run(async () => setResult(await verifyStored(session, config, m.id)))}>
        Verify
      </button>
      <ActionResult action={verify} />
      {result && <Verification result={result} />}
    </li>
  );
}

function Verification({ result: v }: { result: VerifyResult }) {
  if (!v.ok) return <ErrorNote error={`Not verified: ${v.reason}.`} />;
  return (
    <div className="ok" role="status" data-testid="verified">
      <p>
        Verified: this message was anchored unaltered at height {v.height}, {new Date(v.time * 1000).toLocaleString()}.
      </p>
      <dl className="proof">
        <dt>Height</dt>
        <dd data-testid="verified-height">{v.height}</dd>
        <dt>Block time</dt>
        <dd>
          <time dateTime={new Date(v.time * 1000).toISOString()}>{new Date(v.time * 1000).toISOString()}</time>
        </dd>
        <dt>Anchored by</dt>
        <dd>
          <code>{v.sender}</code>
        </dd>
        <dt>Merkle root</dt>
        <dd>
          <code>{v.root}</code>
        </dd>
        <dt>Leaf</dt>
        <dd>
          {v.proof.index + 1} of {v.proof.size}
        </dd>
        <dt>Inclusion proof</dt>
        <dd>{v.proof.path.length ? v.proof.path.map((p, i) => <code key={i}>{p} </code>) : '(a single leaf: the root is the hash of this message alone)'}</dd>
      </dl>
    </div>
  );
}
