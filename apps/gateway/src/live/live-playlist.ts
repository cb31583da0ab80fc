import { mediaPlaylist, type EncryptedSegment } from '../streaming/playlists.js';

/**
 * Segments a live playlist lists: Apple's authoring spec asks for at least 6 (8.11), and with 2 s
 * segments that keeps the window above the 3 × target duration RFC 8216 §6.2.2 requires.
 */
export const LIVE_WINDOW = 6;

/** What ffmpeg PUTs under an ingest URL: its playlist, or a segment it names after the playlist. */
export type IngestFile = { readonly kind: 'playlist' } | { readonly kind: 'segment'; readonly name: string };

const NAME = /^[A-Za-z0-9_-]{1,64}\.(ts|m3u8)$/;

/** The file an ingest PUT targets, or why the name is refused (answered with 400). */
export function ingestFile(name: string): IngestFile | { problem: string } {
  const m = NAME.exec(name);
  if (!m) return { problem: `ingest files are <name>.ts segments and <name>.m3u8 playlists ([A-Za-z0-9_-], 1-64 characters), not ${JSON.stringify(name.slice(0, 80))}` };
  return m[1] === 'ts' ? { kind: 'segment', name } : { kind: 'playlist' };
}

/** The stored name of live segment `seq` (its media sequence number), in the live window and in the VOD directory. */
export const segmentFile = (seq: number) => `seg-${String(seq).padStart(5, '0')}.ts`;

/** `seq` of a stored segment name, or undefined. */
export function segmentSeq(file: string): number | undefined {
  const m = /^seg-(\d{5,9})\.ts$/.exec(file);
  return m ? Number(m[1]) : undefined;
}

/**
 * The live media playlist: the last `window` of the stream's published segments (`segments[i]` has
 * media sequence number i), EXT-X-MEDIA-SEQUENCE advancing as old ones leave, EXT-X-KEY per key
 * period, the target duration fixed for the stream's life, and EXT-X-ENDLIST once it has ended.
 */
export function livePlaylist(segments: readonly EncryptedSegment[], keyUri: (keyId: string) => string, options: { targetS: number; ended: boolean; window?: number }): string {
  const first = Math.max(0, segments.length - (options.window ?? LIVE_WINDOW));
  return mediaPlaylist(segments.slice(first), keyUri, { mediaSequence: first, complete: options.ended, vod: false, targetS: options.targetS });
}
