import { useEffect, useRef, useState } from 'react';
import Hls from 'hls.js';
import { useApp } from '../lib/app-context';
import { adr036Authorization, restOptional, sendTx } from '../lib/chain';
import { dealById } from '../lib/market';
import { LIVE_DEAL, grantedTo, grantsOf, streamsOf, type ContentJson } from '../lib/streams';
import { ActionResult, ErrorNote, Link, NeedsWallet, Table, useAction, usePolled } from '../lib/ui';

export function StreamsPage({ content }: { content?: string }) {
  const { navigate, wallet } = useApp();
  const [open, setOpen] = useState('');
  if (content) return <StreamPage content={content} />;
  return (
    <section aria-labelledby="streams-title">
      <h1 id="streams-title">Streams</h1>
      {wallet.address && <YourStreams address={wallet.address} />}
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (open.trim()) navigate(`/streams/${open.trim().toLowerCase()}`);
        }}
      >
        <h2>Watch a stream</h2>
        <label>
          Stream name
          <input name="open-content" value={open} onChange={(e) => setOpen(e.target.value)} required autoComplete="off" />
        </label>
        <button type="submit">Open</button>
      </form>
      <p>
        <Link to="/publish">Publish a video</Link> to create a stream.
      </p>
    </section>
  );
}

/** The wallet's own streams (found on chain, from any browser) and the ones it was granted. */
function YourStreams({ address }: { address: string }) {
  const { config } = useApp();
  const owned = usePolled(() => streamsOf(config, address), [config, address], 10_000);
  const granted = usePolled(() => grantedTo(config, address), [config, address], 10_000);
  const others = (granted.data ?? []).filter((g) => !owned.data?.some((s) => s.content.id === g.content));
  return (
    <>
      <h2>Your streams</h2>
      <ErrorNote error={owned.error} />
      {owned.data?.length === 0 && (
        <p>
          You have no streams yet: <Link to="/publish">publish a video</Link>.
        </p>
      )}
      {owned.data && owned.data.length > 0 && (
        <Table testId="my-streams" columns={['Stream', 'Deal', 'Viewers granted', 'Registered at block']}>
          {owned.data.map((s) => (
            <tr key={s.content.id} data-content={s.content.id}>
              <td>
                <Link to={`/streams/${s.content.id}`}>{s.content.id}</Link>
              </td>
              <td>
                {s.content.deal_id === LIVE_DEAL ? (
                  'live: its deal comes when the stream ends'
                ) : (
                  <>
                    <Link to={`/deals/${s.content.deal_id}`}>deal {s.content.deal_id}</Link> {s.deal ? `(${s.deal.status})` : '(not found)'}
                  </>
                )}
              </td>
              <td>{s.viewers}</td>
              <td>{s.content.created_height}</td>
            </tr>
          ))}
        </Table>
      )}
      <ErrorNote error={granted.error} />
      {others.length > 0 && (
        <>
          <h2>Streams you may watch</h2>
          <ul data-testid="granted-streams">
            {others.map((g) => (
              <li key={g.content}>
                <Link to={`/streams/${g.content}`}>{g.content}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function StreamPage({ content }: { content: string }) {
  const { config, wallet } = useApp();
  const info = usePolled(async () => {
    const c = await restOptional<ContentJson>(config, `/trucom/grants/v1/contents/${content}`);
    if (!c) return null;
    const deal = c.deal_id === LIVE_DEAL ? undefined : await dealById(config, c.deal_id);
    return { content: c, cid: deal?.cid };
  }, [config, content]);
  const owner = info.data?.content.owner;
  return (
    <section aria-labelledby="stream-title">
      <p>
        <Link to="/streams">← Streams</Link>
      </p>
      <h1 id="stream-title">Stream {content}</h1>
      <ErrorNote error={info.error} />
      {info.data === null && <p className="error">There is no stream named "{content}" on the chain.</p>}
      {info.data && (
        <>
          {info.data.content.deal_id === LIVE_DEAL && (
            <p className="note">This stream is live: it plays on the /watch page of the gateway it is pushed to, and here once it has ended and its recording is stored under a deal.</p>
          )}
          <NeedsWallet what="watch (your wallet signs each key request)">{info.data.cid && <Player content={content} cid={info.data.cid} />}</NeedsWallet>
          <p className="small">
            Also at{' '}
            <a href={`${config.gateways[0]}/watch/${content}`} target="_blank" rel="noreferrer">
              {config.gateways[0]}/watch/{content}
            </a>{' '}
            (with a Keplr wallet).
          </p>
          {owner === wallet.address && wallet.signer && <Grants content={content} />}
        </>
      )}
    </section>
  );
}

declare global {
  interface Window {
    trucomPlayer?: { errors: { details: string; fatal: boolean; code?: number }[]; keysLoaded: number };
  }
}

/** hls.js, loading the stream from a gateway; each key request carries the wallet's ADR-036 signature. */
function Player({ content, cid }: { content: string; cid: string }) {
  const { config, wallet } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<{ text: string; error?: boolean }>({ text: 'Loading…' });
  const [gateway, setGateway] = useState(config.gateways[0]!);
  useEffect(() => {
    if (!Hls.isSupported()) {
      setStatus({ text: 'This browser cannot play HLS streams (no Media Source Extensions).', error: true });
      return;
    }
    const state = { errors: [] as { details: string; fatal: boolean; code?: number }[], keysLoaded: 0 };
    window.trucomPlayer = state;
    const signer = wallet.signer!;
    const hls = new Hls({
      xhrSetup: async (xhr, url) => {
        const path = new URL(url, location.href).pathname;
        if (!path.startsWith('/keys/')) return;
        const [, , c, key] = path.split('/');
        const auth = await adr036Authorization(signer, JSON.stringify({ content: c, key, ts: Math.floor(Date.now() / 1000) }));
        xhr.open('GET', url, true);
        xhr.setRequestHeader('Authorization', auth);
      },
    });
    hls.on(Hls.Events.KEY_LOADED, () => {
      state.keysLoaded++;
      setStatus({ text: `Playing as ${wallet.address}.` });
    });
    hls.on(Hls.Events.ERROR, (_e, data) => {
      const code = (data.response as { code?: number } | undefined)?.code;
      state.errors.push({ details: data.details, fatal: data.fatal, code });
      if (data.details === Hls.ErrorDetails.KEY_LOAD_ERROR) {
        setStatus({ text: code === 403 ? 'Access refused: your grant was revoked or never given (the gateway refused the next key).' : `The gateway refused the key (${code ?? 'no answer'}).`, error: true });
      } else if (data.fatal) setStatus({ text: `Playback stopped: ${data.details}.`, error: true });
    });
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      setStatus({ text: 'Starting…' });
      video.current?.play().catch(() => setStatus({ text: 'Press play to start.' }));
    });
    hls.loadSource(`${gateway.replace(/\/$/, '')}/ipfs/${cid}/master.m3u8`);
    hls.attachMedia(video.current!);
    return () => hls.destroy();
  }, [cid, content, gateway, wallet.signer, wallet.address]);
  return (
    <div className="card">
      <video ref={video} controls muted playsInline aria-label={`Stream ${content}`} data-testid="player" />
      <p role="status" className={status.error ? 'error' : ''} data-testid="player-status">
        {status.text}
      </p>
      <label>
        Play through gateway
        <select value={gateway} onChange={(e) => setGateway(e.target.value)}>
          {config.gateways.map((g) => (
            <option key={g}>{g}</option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Grants({ content }: { content: string }) {
  const { config, wallet } = useApp();
  const grants = usePolled(() => grantsOf(config, content), [config, content], 4000);
  const [grantee, setGrantee] = useState('');
  const add = useAction();
  const revoke = useAction();
  return (
    <div className="card">
      <h2>Who may watch</h2>
      <ErrorNote error={grants.error} />
      {grants.data && grants.data.length === 0 && <p>Nobody yet: grant a viewer's address below.</p>}
      {grants.data && grants.data.length > 0 && (
        <div className="table-wrap">
          <table data-testid="grants">
            <thead>
              <tr>
                <th scope="col">Viewer</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {grants.data.map((g) => (
                <tr key={g.grantee} data-grantee={g.grantee}>
                  <td>
                    <code>{g.grantee}</code>
                  </td>
                  <td>{g.active ? 'can watch' : g.revoked ? `revoked at block ${g.revoked_height}` : 'expired'}</td>
                  <td>
                    {g.active && (
                      <button
                        type="button"
                        className="danger"
                        disabled={revoke.busy}
                        aria-label={`Revoke ${g.grantee}`}
                        onClick={() =>
                          void revoke.run(async () => {
                            await sendTx(config, wallet.signer!, (owner) => [{ typeUrl: '/trucom.grants.v1.MsgRevoke', value: { owner, content, grantee: g.grantee } }]);
                            grants.reload();
                            return `Revoked ${g.grantee}: gateways refuse their next key request; keys already fetched play until the next key rotation.`;
                          })
                        }
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ActionResult action={revoke} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void add.run(async () => {
            await sendTx(config, wallet.signer!, (owner) => [{ typeUrl: '/trucom.grants.v1.MsgGrant', value: { owner, content, grantee: grantee.trim(), expiry: 0 } }]);
            grants.reload();
            setGrantee('');
            return `Granted ${grantee.trim()}.`;
          });
        }}
      >
        <label>
          Viewer address
          <input name="grantee" value={grantee} onChange={(e) => setGrantee(e.target.value)} required placeholder="tru1…" autoComplete="off" />
        </label>
        <button type="submit" disabled={add.busy}>
          Grant
        </button>
        <ActionResult action={add} />
      </form>
    </div>
  );
}
