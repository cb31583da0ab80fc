/** What ffprobe says about an uploaded video. */
export interface SourceInfo {
  readonly width: number;
  readonly height: number;
  /** Frames per second as a fraction (ffprobe's r_frame_rate, e.g. 30000/1001). */
  readonly fps: { readonly num: number; readonly den: number };
  readonly durationS: number;
  readonly hasAudio: boolean;
}

/** One rung of the bitrate ladder: what ffmpeg encodes and what the master playlist announces. */
export interface Rendition {
  /** Directory name in the stream, e.g. "720p". */
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly videoKbps: number;
  readonly audioKbps: number;
}

/**
 * Rungs after Apple's H.264 ladder (HLS authoring spec table 1.25): height → average video kb/s. A
 * stream gets the rungs at or below its source height (at most `MAX_RENDITIONS`, keeping the top
 * and spreading the rest), so nothing is ever upscaled.
 */
export const H264_LADDER: readonly { readonly height: number; readonly kbps: number }[] = [
  { height: 1080, kbps: 6000 },
  { height: 720, kbps: 3000 },
  { height: 540, kbps: 2000 },
  { height: 432, kbps: 1100 },
  { height: 360, kbps: 365 },
  { height: 234, kbps: 145 },
];
export const MAX_RENDITIONS = 3;
const AUDIO_KBPS = 128;

export function ladderFor(source: SourceInfo, max = MAX_RENDITIONS): Rendition[] {
  const aspect = source.width / source.height;
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  let rungs = H264_LADDER.filter((r) => r.height <= source.height);
  if (rungs.length === 0) {
    // Smaller than the lowest rung: one rendition at the source size, at the lowest rung's rate.
    rungs = [{ height: even(source.height), kbps: H264_LADDER.at(-1)!.kbps }];
  }
  if (rungs.length > max) rungs = Array.from({ length: max }, (_, i) => rungs[Math.round((i * (rungs.length - 1)) / (max - 1))]!);
  return rungs.map((r) => ({ name: `${r.height}p`, width: even(r.height * aspect), height: r.height, videoKbps: r.kbps, audioKbps: source.hasAudio ? AUDIO_KBPS : 0 }));
}

/** Keyframe interval (frames) that makes every segment of `segmentS` seconds start on an IDR. */
export function gopFrames(fps: SourceInfo['fps'], segmentS: number): number {
  return Math.max(1, Math.round((fps.num / fps.den) * segmentS));
}

/** FRAME-RATE as the master playlist writes it (decimal, 3 places). */
export function frameRate(fps: SourceInfo['fps']): string {
  return (fps.num / fps.den).toFixed(3);
}
