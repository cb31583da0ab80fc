import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DEFAULT_PROFILE, importDirectory, type BlockStore, type ImportedContent } from '@trucom/content';
import { ladderFor } from './ladder.js';
import { packageStream } from './packager.js';
import { probeSource, transcode } from './transcoder.js';

export interface StreamOptions {
  /** The content id key URIs name (`/keys/{content}/{keyId}`), registered on chain by the publisher. */
  readonly content: string;
  readonly segmentS: number;
  readonly rotateEvery: number;
}

/** `segment` (1-10 s, default 4) and `rotate` (1-1000 segments per key, default 3) of a stream request's query, or why not (400). */
export function streamSettings(q: { segment?: string; rotate?: string }): Pick<StreamOptions, 'segmentS' | 'rotateEvery'> | { problem: string } {
  const segmentS = Number(q.segment ?? 4);
  const rotateEvery = Number(q.rotate ?? 3);
  if (!Number.isInteger(segmentS) || segmentS < 1 || segmentS > 10) return { problem: 'segment must be 1-10 seconds' };
  if (!Number.isInteger(rotateEvery) || rotateEvery < 1 || rotateEvery > 1000) return { problem: 'rotate must be 1-1000 segments' };
  return { segmentS, rotateEvery };
}

export interface PublishedStream extends ImportedContent {
  readonly keys: { readonly id: string; readonly key: Buffer }[];
  readonly segments: number;
  readonly durationS: number;
  readonly renditions: string[];
}

export type StreamProgress = (stage: 'probe' | 'transcode' | 'package' | 'store', fraction: number) => void;

export const keyUri = (content: string, keyId: string) => `/keys/${content}/${keyId}`;

/**
 * A video file in, an encrypted HLS ladder out, stored as one UnixFS directory (master.m3u8 at its
 * root). Work files live under `workDir` and are removed whatever happens.
 */
export async function publishStream(input: string, workDir: string, store: Pick<BlockStore, 'put'>, options: StreamOptions, progress: StreamProgress): Promise<PublishedStream> {
  const clear = join(workDir, 'clear');
  const out = join(workDir, 'out');
  try {
    progress('probe', 0);
    const source = await probeSource(input);
    const renditions = ladderFor(source);
    await mkdir(clear, { recursive: true });
    await transcode(input, source, renditions, clear, options.segmentS, (f) => progress('transcode', f));
    await rm(input, { force: true });
    progress('package', 0);
    const packaged = await packageStream(clear, out, source, renditions, options.rotateEvery, (k) => keyUri(options.content, k));
    progress('store', 0);
    const imported = await importDirectory(store, filesOf(out), DEFAULT_PROFILE);
    progress('store', 1);
    return { ...imported, keys: [...packaged.keys].map(([id, key]) => ({ id, key })), segments: packaged.segments, durationS: packaged.durationS, renditions: renditions.map((r) => r.name) };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Every file under `dir` in path order, named relative to it (what importDirectory takes). */
export async function* filesOf(dir: string): AsyncGenerator<{ path: string; content: AsyncIterable<Uint8Array> }> {
  for (const entry of (await readdir(dir, { withFileTypes: true, recursive: true })).sort((a, b) => (join(a.parentPath, a.name) < join(b.parentPath, b.name) ? -1 : 1))) {
    if (!entry.isFile()) continue;
    const abs = join(entry.parentPath, entry.name);
    yield { path: relative(dir, abs).split(sep).join('/'), content: createReadStream(abs) };
  }
}
