import { useMemo, useState } from 'react';
import type { Quote } from '@trucom/client';
import { useApp } from '../lib/app-context';
import { plainError } from '../lib/errors';
import { formatBytes, formatTru, parseTru } from '../lib/format';
import { providersOf } from '../lib/market';
import { createDeal, pickedFiles, quote, registerContent, siteUrls, uploadFolder, uploadVideo, waitForReplicas, type PickedFile } from '../lib/publish';
import { sendTx } from '../lib/chain';
import { ErrorNote, Link, NeedsWallet, Note, Progress, useAction, usePolled } from '../lib/ui';

const SITE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const CONTENT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function PublishPage() {
  const [kind, setKind] = useState<'site' | 'video'>('site');
  return (
    <section aria-labelledby="publish-title">
      <h1 id="publish-title">Publish</h1>
      <NeedsWallet what="publish">
        <fieldset>
          <legend>What to publish</legend>
          <label className="inline">
            <input type="radio" name="publish-kind" checked={kind === 'site'} onChange={() => setKind('site')} /> A website (a folder)
          </label>
          <label className="inline">
            <input type="radio" name="publish-kind" checked={kind === 'video'} onChange={() => setKind('video')} /> A video stream
          </label>
        </fieldset>
        {kind === 'site' ? <PublishSite /> : <PublishVideo />}
      </NeedsWallet>
    </section>
  );
}

/** Replicas, epochs and bandwidth, with the price quoted live from the providers on chain. */
function useTerms(size: number, defaultBandwidth: string) {
  const { config } = useApp();
  const providers = usePolled(() => providersOf(config), [config], 15000);
  const [replicas, setReplicas] = useState('3');
  const [epochs, setEpochs] = useState('360');
  const [bandwidth, setBandwidth] = useState(defaultBandwidth);
  const { terms, q, problem } = useMemo(() => {
    try {
      const r = Number(replicas);
      const e = Number(epochs);
      if (!Number.isInteger(r) || r < 3) throw new Error('At least 3 replicas keep content safe: choose 3 or more.');
      if (!Number.isInteger(e) || e < 1) throw new Error('Choose how many epochs to pay for (a whole number).');
      const t = { replicas: r, epochs: e, bandwidth: parseTru(bandwidth) };
      if (!providers.data) return { terms: t, q: undefined, problem: undefined };
      return { terms: t, q: quote(providers.data, size, t), problem: undefined };
    } catch (err) {
      return { terms: undefined, q: undefined, problem: plainError(err) };
    }
  }, [replicas, epochs, bandwidth, providers.data, size]);
  const fields = (
    <>
      <label>
        Replicas (gateways that keep a copy, at least 3)
        <input name="replicas" type="number" min={3} max={10} value={replicas} onChange={(e) => setReplicas(e.target.value)} required />
      </label>
      <label>
        Duration in epochs (devnet: an epoch is 10 blocks)
        <input name="epochs" type="number" min={1} value={epochs} onChange={(e) => setEpochs(e.target.value)} required />
      </label>
      <label>
        Bandwidth budget (TRU, pays gateways for serving it)
        <input name="bandwidth" inputMode="decimal" value={bandwidth} onChange={(e) => setBandwidth(e.target.value)} required />
      </label>
      <QuoteView q={q} problem={problem} replicas={terms?.replicas} epochs={terms?.epochs} />
      <ErrorNote error={providers.error} />
    </>
  );
  return { terms, q, fields };
}

function QuoteView({ q, problem, replicas, epochs }: { q?: Quote; problem?: string; replicas?: number; epochs?: number }) {
  if (problem) return <p className="error">{problem}</p>;
  if (!q) return null;
  return (
    <p className="card" aria-live="polite" data-testid="quote">
      Price: <strong>{formatTru(q.total)}</strong> locked in escrow = {formatTru(q.maxPrice)} per GiB per epoch × {q.chargedGiB.toString()} GiB × {replicas} replicas × {epochs} epochs + {formatTru(q.bandwidth)} bandwidth.
    </p>
  );
}

interface Step {
  label: string;
  percent: number;
}

function PublishSite() {
  const { config, wallet } = useApp();
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [name, setName] = useState('');
  const [gateway, setGateway] = useState(config.gateways[0]!);
  const size = files.reduce((n, f) => n + f.file.size, 0);
  const { terms, q, fields } = useTerms(size, '1');
  const [steps, setSteps] = useState<Step[]>([]);
  const [result, setResult] = useState<{ deal: number; urls: string[]; cid: string }>();
  const action = useAction();
  const step = (label: string, percent: number) => setSteps((s) => [...s.filter((x) => x.label !== label), { label, percent }]);
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          if (!SITE_NAME.test(name)) throw new Error('The site name must be one word of lower-case letters, digits and dashes (like my-site).');
          if (files.length === 0) throw new Error('Pick a folder first.');
          if (!terms || !q) throw new Error('The price could not be quoted yet.');
          setResult(undefined);
          setSteps([]);
          const uploaded = await uploadFolder(gateway, wallet.signer!, files, (p) => step('Uploading', p));
          step('Creating the deal', 0);
          const dealId = await createDeal(config, wallet.signer!, { cid: uploaded.cid, size: BigInt(uploaded.size), profile: uploaded.profile, kind: 'site' }, terms, quote((await providersOf(config)), Number(uploaded.size), terms));
          step('Creating the deal', 100);
          step('Naming the site', 0);
          const existing = await fetch(`${config.rest}/trucom/sites/v1/sites/${name}`).then((r) => (r.ok ? r.json() : undefined)).catch(() => undefined);
          await sendTx(config, wallet.signer!, (owner) => [{ typeUrl: existing ? '/trucom.sites.v1.MsgUpdateSite' : '/trucom.sites.v1.MsgRegisterSite', value: { owner, name, rootCid: uploaded.cid, dealId } }]);
          step('Naming the site', 100);
          step('Replicas holding it', 0);
          await waitForReplicas(config, dealId, terms.replicas, 180_000, (held) => step('Replicas holding it', (held / terms.replicas) * 100));
          setResult({ deal: dealId, cid: uploaded.cid, urls: siteUrls(config.gateways, name, uploaded.cid) });
        });
      }}
    >
      <h2>Publish a website</h2>
      <label>
        Site folder (index.html at its root)
        <input
          name="folder"
          type="file"
          multiple
          // @ts-expect-error webkitdirectory is not in React's types
          webkitdirectory=""
          onChange={(e) => setFiles(pickedFiles(e.target.files))}
        />
      </label>
      {files.length > 0 && (
        <p>
          {files.length} files, {formatBytes(size)}
          {!files.some((f) => f.path === 'index.html') && <span className="warn"> — no index.html at the folder's root: the site will show a file list.</span>}
        </p>
      )}
      <label>
        Site name (served at http://NAME.sites.localhost:PORT/)
        <input name="site-name" value={name} onChange={(e) => setName(e.target.value.toLowerCase())} required pattern="[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?" autoComplete="off" />
      </label>
      <GatewaySelect label="Gateway to upload to" name="gateway" value={gateway} onChange={setGateway} />
      {fields}
      <button type="submit" disabled={action.busy || files.length === 0}>
        {q ? `Publish for ${formatTru(q.total)}` : 'Publish'}
      </button>
      {steps.map((s) => (
        <Progress key={s.label} label={s.label} value={s.percent} />
      ))}
      <ErrorNote error={action.error} />
      {result && (
        <div role="status" data-testid="publish-result">
          <p className="ok">
            Published! <Link to={`/deals/${result.deal}`}>Deal {result.deal}</Link> keeps <code>{result.cid}</code>.
          </p>
          <ul className="urls">
            {result.urls.map((u) => (
              <li key={u}>
                <a href={u} target="_blank" rel="noreferrer">
                  {u}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}

function PublishVideo() {
  const { config, wallet, navigate } = useApp();
  const [file, setFile] = useState<File>();
  const [content, setContent] = useState('');
  const [grantees, setGrantees] = useState('');
  const [gateway, setGateway] = useState(config.gateways[0]!);
  const { terms, fields } = useTerms(file?.size ?? 0, '10');
  const [steps, setSteps] = useState<Step[]>([]);
  const [note, setNote] = useState<string>();
  const action = useAction();
  const step = (label: string, percent: number) => setSteps((s) => [...s.filter((x) => x.label !== label), { label, percent }]);
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          if (!file) throw new Error('Pick a video first.');
          if (!CONTENT_ID.test(content)) throw new Error('The stream name must be lower-case letters, digits and dashes (like my-talk).');
          if (!terms) throw new Error('Check the deal terms.');
          // The publisher is granted too: the key servers answer grants only, and the publisher wants to preview it.
          const who = [...new Set([wallet.address!, ...grantees.split(/[\s,]+/).filter(Boolean)])];
          setSteps([]);
          setNote(undefined);
          const packaged = await uploadVideo(gateway, wallet.signer!, file, content, (stage, p) => step(stage === 'upload' ? 'Uploading' : stage[0]!.toUpperCase() + stage.slice(1), p));
          step('Creating the deal', 0);
          const q = quote(await providersOf(config), Number(packaged.size), terms);
          const dealId = await createDeal(config, wallet.signer!, { cid: packaged.cid, size: BigInt(packaged.size), profile: 'cidv1-256k-174', kind: 'stream' }, terms, q);
          step('Creating the deal', 100);
          step('Sealing the keys', 0);
          const holders = await registerContent(config, wallet.signer!, content, dealId, packaged.keys, who);
          step('Sealing the keys', 100);
          setNote(`Stream "${content}" is on deal ${dealId}; its ${packaged.keys.length} keys are sealed to ${holders} gateways${who.length > 1 ? ` and ${who.length - 1} viewers are granted` : ''}. Replicas are copying it now.`);
          navigate(`/streams/${content}`);
        });
      }}
    >
      <h2>Publish a video stream</h2>
      <label>
        Video file
        <input name="video" type="file" accept="video/*" onChange={(e) => setFile(e.target.files?.[0])} />
      </label>
      <label>
        Stream name (used in /watch/NAME)
        <input name="content" value={content} onChange={(e) => setContent(e.target.value.toLowerCase())} required autoComplete="off" />
      </label>
      <label>
        Viewers to grant now (addresses, comma separated, optional)
        <input name="grantees" value={grantees} onChange={(e) => setGrantees(e.target.value)} autoComplete="off" />
      </label>
      <GatewaySelect label="Gateway that transcodes it" name="video-gateway" value={gateway} onChange={setGateway} />
      {fields}
      <button type="submit" disabled={action.busy || !file}>
        Publish video
      </button>
      {steps.map((s) => (
        <Progress key={s.label} label={s.label} value={s.percent} />
      ))}
      <ErrorNote error={action.error} />
      {note && <Note>{note}</Note>}
    </form>
  );
}

/** One of the devnet's gateways, picked from the dashboard's config. */
function GatewaySelect({ label, name, value, onChange }: { label: string; name: string; value: string; onChange: (gateway: string) => void }) {
  const { config } = useApp();
  return (
    <label>
      {label}
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {config.gateways.map((g) => (
          <option key={g}>{g}</option>
        ))}
      </select>
    </label>
  );
}
