import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { frameRate, type Rendition, type SourceInfo } from './ladder.js';
import { avc1Codec, masterPlaylist, mediaPlaylist, parseMediaPlaylist, type EncryptedSegment, type Variant } from './playlists.js';
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
    const encrypted: EncryptedSegment[] = [];
    let peak = 0;
    let bits = 0;
    let seconds = 0;
    for (const [i, s] of clearSegments.entries()) {
      const { id, key } = keyFor(Math.floor(i / rotateEvery));
      const clearPath = join(inDir, s.uri);
      const bytes = encryptSegment(await readFile(clearPath), key, i);
      await rm(clearPath);
      await writeFile(join(outDir, r.name, s.uri), bytes);
      encrypted.push({ ...s, keyId: id });
      peak = Math.max(peak, (bytes.length * 8) / Math.max(s.durationS, 0.001));
      bits += bytes.length * 8;
      seconds += s.durationS;
    }
    await writeFile(join(outDir, r.name, 'index.m3u8'), mediaPlaylist(encrypted, keyUri));
    variants.push({
      uri: `${r.name}/index.m3u8`,
      bandwidth: Math.ceil(peak),
      averageBandwidth: Math.ceil(bits / Math.max(seconds, 0.001)),
      width: r.width,
      height: r.height,
      codecs: source.hasAudio ? `${avc1Codec(codec.profile, codec.level)},mp4a.40.2` : avc1Codec(codec.profile, codec.level),
      frameRate: frameRate(source.fps),
    });
    segmentCount = Math.max(segmentCount, encrypted.length);
    durationS = Math.max(durationS, seconds);
  }
  await writeFile(join(outDir, 'master.m3u8'), masterPlaylist(variants));
  return { keys, segments: segmentCount, durationS };
}
