import { createDealMessage, quoteDeal, type DealTerms, type Quote } from '@trucom/client';
import { cryptoBoxSeal, fromHex } from '@trucom/crypto';
import { trucom } from '@trucom/proto';
import type { AppConfig } from './config';
import { adr036Authorization, rest, sendTx } from './chain';
import { dealById, type ProviderJson } from './market';
import type { WalletSigner } from './signer';

export interface PickedFile {
  readonly file: File;
  /** `/`-separated path inside the picked folder. */
  readonly path: string;
}

/** Files of an `<input webkitdirectory>`, with the picked folder's own name taken off their paths. */
export function pickedFiles(list: FileList | null): PickedFile[] {
  return [...(list ?? [])].map((file) => {
    const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    return { file, path: rel.includes('/') ? rel.slice(rel.indexOf('/') + 1) : rel };
  });
}

/** The chain's quote (same code as the CLI's), from the providers as REST lists them. */
export function quote(providers: readonly ProviderJson[], size: number, terms: DealTerms): Quote {
  return quoteDeal(
    providers.map((p) => ({ status: p.status, capacity: p.capacity, used: p.used, price: p.price })),
    BigInt(size),
    terms.replicas,
    terms.epochs,
    terms.bandwidth,
    terms.maxPrice,
  );
}

interface XhrResult {
  readonly status: number;
  readonly text: string;
}

/** POSTs with XMLHttpRequest so the bytes sent can be followed; `onText` hears the response as it streams in. */
function post(url: string, body: XMLHttpRequestBodyInit, headers: Record<string, string>, onUpload: (sent: number, total: number) => void, onText?: (text: string) => void): Promise<XhrResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onUpload(e.loaded, e.total);
    xhr.onprogress = () => onText?.(xhr.responseText);
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(new Error(`cannot reach the gateway ${new URL(url).origin}`));
    xhr.send(body);
  });
}

function gatewayError(gateway: string, r: XhrResult, what: string): Error {
  let reason = '';
  try {
    reason = (JSON.parse(r.text) as { error?: string }).error ?? '';
  } catch {
    reason = r.text.slice(0, 200);
  }
  return new Error(`The gateway ${gateway} refused the ${what} (${r.status})${reason ? `: ${reason}` : ''}`);
}

export interface UploadedRoot {
  readonly cid: string;
  readonly size: string;
  readonly profile: string;
}

/** Uploads a folder to a gateway's upload API (multipart, one part per file named by its path), signed by the wallet. */
export async function uploadFolder(gateway: string, signer: WalletSigner, files: readonly PickedFile[], progress: (percent: number) => void): Promise<UploadedRoot> {
  const form = new FormData();
  for (const f of files) form.append('file', f.file, f.path);
  const auth = await adr036Authorization(signer, `trucom upload ${Math.floor(Date.now() / 1000)}`);
  const r = await post(`${gateway}/api/v1/uploads`, form, { authorization: auth }, (sent, total) => progress(total ? (sent / total) * 100 : 100));
  if (r.status !== 201) throw gatewayError(gateway, r, 'upload');
  progress(100);
  return JSON.parse(r.text) as UploadedRoot;
}

export interface PackagedStream {
  readonly cid: string;
  readonly size: string;
  readonly segments: number;
  readonly renditions: string[];
  readonly keys: { id: string; key: string }[];
}

/** Sends a video to a gateway's stream API and follows its NDJSON progress (upload, then probe/transcode/package/store). */
export async function uploadVideo(gateway: string, signer: WalletSigner, file: File, content: string, progress: (stage: string, percent: number) => void): Promise<PackagedStream> {
  const auth = await adr036Authorization(signer, `trucom upload ${Math.floor(Date.now() / 1000)}`);
  let done: PackagedStream | undefined;
  let failed: string | undefined;
  let seen = 0;
  const onText = (text: string) => {
    const lines = text.split('\n');
    for (; seen < lines.length - 1; seen++) {
      const line = lines[seen]!.trim();
      if (!line) continue;
      const event = JSON.parse(line) as { stage: string; percent?: number; error?: string } & PackagedStream;
      if (event.stage === 'error') failed = event.error;
      else if (event.stage === 'done') done = event;
      else progress(event.stage, event.percent ?? 0);
    }
  };
  const r = await post(`${gateway}/api/v1/streams?content=${encodeURIComponent(content)}`, file, { authorization: auth, 'content-type': 'application/octet-stream' }, (sent, total) => progress('upload', total ? (sent / total) * 100 : 100), onText);
  if (r.status !== 200) throw gatewayError(gateway, r, 'video');
  onText(`${r.text}\n`);
  if (failed) throw new Error(`The gateway could not package the video: ${failed}`);
  if (!done) throw new Error('The gateway closed the connection before the stream was packaged.');
  return done;
}

/** Signs MsgCreateDeal at the quoted price; resolves to the new deal's id. */
export async function createDeal(config: AppConfig, signer: WalletSigner, content: { cid: string; size: bigint; profile: string; kind: string }, terms: DealTerms, q: Quote): Promise<number> {
  const result = await sendTx(config, signer, (owner) => [createDealMessage(owner, content, terms, q)]);
  return Number(trucom.market.v1.MsgCreateDealResponse.decode(result.msgResponses[0]!.value).dealId);
}

/** Whether a gateway holds a root's whole DAG (it answers `only-if-cached` with 200). */
async function gatewayHolds(endpoint: string, cid: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint.replace(/\/$/, '')}/ipfs/${cid}`, { method: 'HEAD', headers: { 'cache-control': 'only-if-cached' }, cache: 'no-store', redirect: 'manual', signal: AbortSignal.timeout(5000) });
    return res.status === 200 || res.status === 301 || res.type === 'opaqueredirect';
  } catch {
    return false;
  }
}

/** Waits until `want` live replicas of the deal hold its content; `progress` hears the count. */
export async function waitForReplicas(config: AppConfig, dealId: number, want: number, timeoutMs: number, progress: (held: number) => void): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await dealById(config, dealId);
    if (!d) throw new Error(`deal ${dealId} is not on chain`);
    const live = d.replicas.filter((r) => r.status !== 'failed' && r.endpoint).map((r) => r.endpoint);
    const holding = (await Promise.all(live.map(async (e) => ((await gatewayHolds(e, d.cid)) ? e : undefined)))).filter((e): e is string => !!e);
    progress(holding.length);
    if (holding.length >= want) return holding;
    if (Date.now() > deadline) throw new Error(`Only ${holding.length} of ${want} replicas hold the content after ${Math.round(timeoutMs / 1000)} s; the deal page shows how they progress.`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Registers a stream's content and its keys, each sealed to every key-holder gateway, plus any grants, in one tx. */
export async function registerContent(config: AppConfig, signer: WalletSigner, content: string, dealId: number, keys: PackagedStream['keys'], grantees: string[]): Promise<number> {
  const { key_holders } = await rest<{ key_holders: { holder: string; x25519_pubkey: string }[] }>(config, '/trucom/grants/v1/key_holders');
  if (key_holders.length === 0) throw new Error('No gateway holds keys on chain yet, so nobody could serve this stream.');
  const sealed = keys.flatMap((k) => key_holders.map((h) => ({ keyId: k.id, holder: h.holder, sealed: cryptoBoxSeal(fromHex(k.key), fromHex(h.x25519_pubkey)) })));
  await sendTx(config, signer, (owner) => [
    { typeUrl: '/trucom.grants.v1.MsgRegisterContent', value: { owner, content, dealId, keyIds: keys.map((k) => k.id) } },
    { typeUrl: '/trucom.grants.v1.MsgSetContentKeys', value: { owner, content, keys: sealed } },
    ...grantees.map((grantee) => ({ typeUrl: '/trucom.grants.v1.MsgGrant', value: { owner, content, grantee, expiry: 0 } })),
  ]);
  return key_holders.length;
}

/** The URLs a site answers at: its name on every gateway, and its root CID. */
export function siteUrls(gateways: readonly string[], name: string, cid: string): string[] {
  return gateways.flatMap((g) => {
    const u = new URL(g);
    return [`${u.protocol}//${name}.sites.localhost:${u.port || (u.protocol === 'https:' ? 443 : 80)}/`, `${g.replace(/\/$/, '')}/ipfs/${cid}/`];
  });
}
