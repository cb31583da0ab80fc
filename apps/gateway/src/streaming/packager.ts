import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { frameRate, type Rendition, type SourceInfo } from './ladder.js';
import { bitrates, masterPlaylist, mediaPlaylist, parseMediaPlaylist, variantCodecs, type EncryptedSegment, type Variant } from './playlists.js';
import { encryptSegment, newContentKey } from './segment-cipher.js';
import { probeVideoCodec } from './transcoder.js';

export interface PackagedStream {
  /** Key id → 16-byte AES key, one per rotation period, shared by every rendition. */
  readonly keys: Map<string, Buffer>;
  readonly segments: number;
  readonly durationS: number;
}

export const keyIdOf = (period: number) => `k${period}`;

/**
 * Turns ffmpeg's clear HLS renditions (`clearDir/<rendition>/`) into the stored stream (`outDir`):
 * every segment AES-128 encrypted, a new key every `rotateEvery` segments, media playlists pointing
 * at `keyUri(keyId)`, and a master playlist with full variant attributes. Each clear segment is
 * deleted as soon as it is encrypted; clear bytes never reach the blockstore.
 */
export async function packageStream(clearDir: string, outDir: string, source: SourceInfo, renditions: readonly Rendition[], rotateEvery: number, keyUri: (keyId: string) => string): Promise<PackagedStream> {
  const keys = new Map<string, Buffer>();
  const keyFor = (period: number) => {
    const id = keyIdOf(period);
    if (!keys.has(id)) keys.set(id, newContentKey());
    return { id, key: keys.get(id)! };
  };
  const variants: Variant[] = [];
  let segmentCount = 0;
  let durationS = 0;
  for (const r of renditions) {
    const inDir = join(clearDir, r.name);
    const clearSegments = parseMediaPlaylist(await readFile(join(inDir, 'index.m3u8'), 'utf8'));
    if (clearSegments.length === 0) throw new Error(`ffmpeg wrote no segments for ${r.name}`);
    const codec = await probeVideoCodec(join(inDir, clearSegments[0]!.uri));
    await mkdir(join(outDir, r.name), { recursive: true });
    const encrypted: (EncryptedSegment & { bytes: number })[] = [];
    for (const [i, s] of clearSegments.entries()) {
      const { id, key } = keyFor(Math.floor(i / rotateEvery));
      const clearPath = join(inDir, s.uri);
      const bytes = encryptSegment(await readFile(clearPath), key, i);
      await rm(clearPath);
      await writeFile(join(outDir, r.name, s.uri), bytes);
      encrypted.push({ ...s, keyId: id, bytes: bytes.length });
    }
    await writeFile(join(outDir, r.name, 'index.m3u8'), mediaPlaylist(encrypted, keyUri));
    variants.push({ uri: `${r.name}/index.m3u8`, ...bitrates(encrypted), width: r.width, height: r.height, codecs: variantCodecs(codec, source.hasAudio), frameRate: frameRate(source.fps) });
    const seconds = encrypted.reduce((sum, s) => sum + s.durationS, 0);
    segmentCount = Math.max(segmentCount, encrypted.length);
    durationS = Math.max(durationS, seconds);
  }
  await writeFile(join(outDir, 'master.m3u8'), masterPlaylist(variants));
  return { keys, segments: segmentCount, durationS };
}
