import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { uploadAuthorization } from '../upload.js';

export interface PackagedStreamAnswer {
  readonly cid: string;
  readonly content: string;
  readonly size: string;
  readonly segments: number;
  readonly duration: number;
  readonly renditions: string[];
  /** Clear content keys (hex), one per rotation period: sealed on chain for the key holders, then forgotten. */
  readonly keys: { readonly id: string; readonly key: string }[];
}

export type StreamUploadProgress = (stage: string, percent: number) => void;

/**
 * Sends a video to a gateway's stream API (`POST /api/v1/streams`), following its NDJSON progress
 * (upload bytes first, then probe/transcode/package/store) until the packaged stream comes back.
 */
export async function uploadVideo(gateway: string, file: string, content: string, privateKey: Uint8Array, options: { segmentS?: number; rotateEvery?: number }, progress: StreamUploadProgress): Promise<PackagedStreamAnswer> {
  const total = (await stat(file)).size;
  const url = new URL('/api/v1/streams', gateway);
  url.searchParams.set('content', content);
  if (options.segmentS) url.searchParams.set('segment', String(options.segmentS));
  if (options.rotateEvery) url.searchParams.set('rotate', String(options.rotateEvery));
  let sent = 0;
  const body = (async function* () {
    for await (const chunk of createReadStream(file)) {
      sent += (chunk as Buffer).length;
      progress('upload', total === 0 ? 100 : Math.floor((sent / total) * 100));
      yield chunk as Buffer;
    }
  })();
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', authorization: uploadAuthorization(privateKey) }, body: ReadableStream.from(body), duplex: 'half' } as RequestInit);
  } catch (err) {
    throw new Error(`cannot reach gateway ${gateway}: ${((err as Error).cause as Error | undefined)?.message ?? (err as Error).message}`);
  }
  if (res.status !== 200 || !res.body) {
    const answer = (await res.json().catch(() => ({}))) as { error?: string };
    throw new Error(`gateway ${gateway} refused the video (${res.status}): ${answer.error ?? res.statusText}`);
  }
  let buffered = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += Buffer.from(chunk).toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      const event = JSON.parse(line) as { stage: string; percent?: number; error?: string } & PackagedStreamAnswer;
      if (event.stage === 'error') throw new Error(`gateway ${gateway} could not package the video: ${event.error}`);
      if (event.stage === 'done') return event;
      progress(event.stage, event.percent ?? 0);
    }
  }
  throw new Error(`gateway ${gateway} closed the connection before the stream was packaged`);
}
