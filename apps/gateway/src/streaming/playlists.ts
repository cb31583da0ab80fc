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

/** Where a media playlist's segments sit in their stream and whether more will come. */
export interface PlaylistWindow {
  /** Media sequence number of the first segment listed (also its IV): segments a live window dropped come before it. */
  readonly mediaSequence: number;
  /** False while a live stream may still add segments: no EXT-X-PLAYLIST-TYPE and no EXT-X-ENDLIST (RFC 8216 §6.2.2). */
  readonly complete: boolean;
  /** VOD: the playlist never changes (EXT-X-PLAYLIST-TYPE:VOD). */
  readonly vod: boolean;
  /** EXT-X-TARGETDURATION; a live stream fixes it for its whole life (§6.2.1). Default: the longest segment, rounded. */
  readonly targetS?: number;
}

export const VOD_WINDOW: PlaylistWindow = { mediaSequence: 0, complete: true, vod: true };

/**
 * A media playlist of AES-128 segments: one EXT-X-KEY per rotation period (repeated at the top of a
 * live window, which may start mid-period), no IV attribute (the IV is each segment's media sequence
 * number, RFC 8216 §5.2).
 */
export function mediaPlaylist(segments: readonly EncryptedSegment[], keyUri: (keyId: string) => string, window: PlaylistWindow = VOD_WINDOW): string {
  const target = window.targetS ?? Math.max(1, ...segments.map((s) => Math.round(s.durationS)));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${target}`, `#EXT-X-MEDIA-SEQUENCE:${window.mediaSequence}`];
  if (window.vod) lines.push('#EXT-X-PLAYLIST-TYPE:VOD');
  lines.push('#EXT-X-INDEPENDENT-SEGMENTS');
  let current: string | undefined;
  for (const s of segments) {
    if (s.keyId !== current) {
      lines.push(`#EXT-X-KEY:METHOD=AES-128,URI="${keyUri(s.keyId)}"`);
      current = s.keyId;
    }
    lines.push(`#EXTINF:${s.durationS.toFixed(6)},`, s.uri);
  }
  if (window.complete) lines.push('#EXT-X-ENDLIST');
  lines.push('');
  return lines.join('\n');
}

/** BANDWIDTH (the peak segment bitrate) and AVERAGE-BANDWIDTH of one rendition's segments, bits/s. */
export function bitrates(segments: readonly { readonly bytes: number; readonly durationS: number }[]): Pick<Variant, 'bandwidth' | 'averageBandwidth'> {
  let peak = 0;
  let bits = 0;
  let seconds = 0;
  for (const s of segments) {
    peak = Math.max(peak, (s.bytes * 8) / Math.max(s.durationS, 0.001));
    bits += s.bytes * 8;
    seconds += s.durationS;
  }
  return { bandwidth: Math.ceil(peak), averageBandwidth: Math.ceil(bits / Math.max(seconds, 0.001)) };
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

/** CODECS of a variant: its H.264 video, plus AAC-LC when it has audio. */
export function variantCodecs(video: { profile: string; level: number }, hasAudio: boolean): string {
  return hasAudio ? `${avc1Codec(video.profile, video.level)},mp4a.40.2` : avc1Codec(video.profile, video.level);
}

/** RFC 6381 codec string of an H.264 stream from ffprobe's profile name and level (e.g. Main, 31 → avc1.4d401f). */
export function avc1Codec(profile: string, level: number): string {
  const p = profile.toLowerCase();
  const [idc, constraints] = p.includes('baseline') ? [0x42, 0xe0] : p === 'main' ? [0x4d, 0x40] : p.startsWith('high') ? [0x64, 0x00] : [0x4d, 0x40];
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return `avc1.${hex(idc)}${hex(constraints)}${hex(level)}`;
}
