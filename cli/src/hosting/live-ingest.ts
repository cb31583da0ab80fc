import { uploadAuthorization } from '../upload.js';

export interface LiveOpened {
  readonly content: string;
  /** Where ffmpeg PUTs its playlist (`-f hls -method PUT <ingest>`); the path holds the stream key. */
  readonly ingest: string;
  readonly playlist: string;
  readonly watch: string;
  readonly keyPeriods: number;
}

export interface LiveStatus {
  readonly state: 'live' | 'packaging' | 'ended' | 'failed';
  readonly segments: number;
  readonly durationS: number;
  readonly cid?: string;
  readonly size?: string;
  readonly error?: string;
}

async function gatewayJson<T>(gateway: string, url: URL, init: RequestInit, expect: number): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new Error(`cannot reach gateway ${gateway}: ${((err as Error).cause as Error | undefined)?.message ?? (err as Error).message}`);
  }
  const answer = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (res.status !== expect) throw new Error(`gateway ${gateway} answered ${res.status} to ${init.method ?? 'GET'} ${url.pathname}: ${answer.error ?? res.statusText}`);
  return answer;
}

/** Asks the gateway for a stream key of `content` (registered live on chain), signed by its owner. */
export function openLive(gateway: string, content: string, privateKey: Uint8Array, options: { segmentS: number; rotateEvery: number }): Promise<LiveOpened> {
  const url = new URL('/api/v1/live', gateway);
  url.searchParams.set('content', content);
  url.searchParams.set('segment', String(options.segmentS));
  url.searchParams.set('rotate', String(options.rotateEvery));
  return gatewayJson<LiveOpened>(gateway, url, { method: 'POST', headers: { authorization: uploadAuthorization(privateKey) } }, 201);
}

/** Polls the live stream's state until the gateway has stored it (its VOD directory's CID and size); `progress` sees each change. */
export async function waitForLiveEnd(gateway: string, content: string, timeoutMs: number, progress: (s: LiveStatus) => void): Promise<{ cid: string; size: string }> {
  const url = new URL(`/api/v1/live/${content}`, gateway);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const s = await gatewayJson<LiveStatus>(gateway, url, {}, 200);
    const shown = `${s.state} ${s.segments}`;
    if (shown !== last) progress(s);
    last = shown;
    if (s.state === 'failed') throw new Error(`the gateway could not store the live stream: ${s.error}`);
    if (s.state === 'ended') return { cid: s.cid!, size: s.size! };
    if (Date.now() > deadline) throw new Error(`the live stream did not end within ${Math.round(timeoutMs / 60_000)} minutes (its longest run)`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
