/** HLS playlists (RFC 8216) as text: reading ffmpeg's media playlists, writing ours. */

export interface MediaSegment {
  readonly uri: string;
  readonly durationS: number;
}

/** The segments of a VOD media playlist, in order (EXTINF duration, then the URI line). */
export function parseMediaPlaylist(text: string): MediaSegment[] {
  const segments: MediaSegment[] = [];
  let duration: number | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    else if (line !== '' && !line.startsWith('#')) {
      if (duration === undefined || !Number.isFinite(duration)) throw new Error(`media playlist: segment ${line} has no EXTINF duration`);
      segments.push({ uri: line, durationS: duration });
      duration = undefined;
    }
  }
  return segments;
}

export interface EncryptedSegment extends MediaSegment {
  /** Key id of the rotation period this segment belongs to (its key URI ends with it). */
  readonly keyId: string;
}

/**
 * A VOD media playlist of AES-128 segments: one EXT-X-KEY per rotation period, no IV attribute (the IV
 * is each segment's media sequence number, RFC 8216 §5.2).
 */
export function mediaPlaylist(segments: readonly EncryptedSegment[], keyUri: (keyId: string) => string): string {
  const target = Math.max(1, ...segments.map((s) => Math.round(s.durationS)));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-INDEPENDENT-SEGMENTS'];
  let current: string | undefined;
  for (const s of segments) {
    if (s.keyId !== current) {
      lines.push(`#EXT-X-KEY:METHOD=AES-128,URI="${keyUri(s.keyId)}"`);
      current = s.keyId;
    }
    lines.push(`#EXTINF:${s.durationS.toFixed(6)},`, s.uri);
  }
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

export interface Variant {
  readonly uri: string;
  /** Peak segment bitrate, bits/s. */
  readonly bandwidth: number;
  readonly averageBandwidth: number;
  readonly width: number;
  readonly height: number;
  readonly codecs: string;
  readonly frameRate: string;
}

/** The multivariant playlist with the attributes ffmpeg leaves out (AVERAGE-BANDWIDTH, FRAME-RATE). */
export function masterPlaylist(variants: readonly Variant[]): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const v of variants) {
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth},AVERAGE-BANDWIDTH=${v.averageBandwidth},RESOLUTION=${v.width}x${v.height},CODECS="${v.codecs}",FRAME-RATE=${v.frameRate}`, v.uri);
  }
  lines.push('');
  return lines.join('\n');
}

/** RFC 6381 codec string of an H.264 stream from ffprobe's profile name and level (e.g. Main, 31 → avc1.4d401f). */
export function avc1Codec(profile: string, level: number): string {
  const p = profile.toLowerCase();
  const [idc, constraints] = p.includes('baseline') ? [0x42, 0xe0] : p === 'main' ? [0x4d, 0x40] : p.startsWith('high') ? [0x64, 0x00] : [0x4d, 0x40];
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return `avc1.${hex(idc)}${hex(constraints)}${hex(level)}`;
}
