import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gopFrames, type Rendition, type SourceInfo } from './ladder.js';

/** Runs a tool to completion (`stdin` piped to it, if given); rejects with its stderr tail on a non-zero exit. */
function run(cmd: string, args: readonly string[], onStdout?: (line: string) => void, stdin?: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    // a tool may exit before reading all of its input (EPIPE): its exit code tells what happened
    child.stdin?.on('error', () => undefined).end(stdin);
    let out = '';
    let err = '';
    let partial = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += onStdout ? '' : chunk;
      if (!onStdout) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const l of lines) onStdout(l);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err = (err + chunk).slice(-4000);
    });
    child.on('error', (e) => reject(new Error(`${cmd} could not start (${e.message}); install it: apt-get install ffmpeg`)));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}

interface ProbeStream {
  codec_type?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  profile?: string;
  level?: number;
}

type Probe = { streams?: ProbeStream[]; format?: { duration?: string } };

/** The video's size, frame rate, duration and audio presence; throws when it has no video stream. */
export async function probeSource(file: string): Promise<SourceInfo> {
  const parsed = await probeJson(['-show_streams', '-show_format', file]);
  const durationS = Number(parsed.format?.duration ?? 0);
  if (!(durationS > 0)) throw new InvalidVideoError('the video has no duration');
  return { ...pictureOf(parsed), durationS };
}

/** A live stream's picture (size, frame rate, audio, H.264 profile and level) from one clear MPEG-TS segment held in memory. */
export async function probeSegment(clear: Uint8Array): Promise<Omit<SourceInfo, 'durationS'> & { profile: string; level: number }> {
  const parsed = await probeJson(['-f', 'mpegts', '-show_streams', '-i', 'pipe:0'], clear);
  const video = parsed.streams!.find((s) => s.codec_type === 'video')!;
  return { ...pictureOf(parsed), profile: video.profile ?? 'Main', level: video.level ?? 31 };
}

async function probeJson(args: readonly string[], stdin?: Uint8Array): Promise<Probe> {
  try {
    return JSON.parse(await run('ffprobe', ['-v', 'error', '-print_format', 'json', ...args], undefined, stdin)) as Probe;
  } catch (err) {
    throw new InvalidVideoError(`not a video ffprobe can read: ${(err as Error).message}`);
  }
}

function pictureOf(parsed: Probe): Omit<SourceInfo, 'durationS'> {
  const video = parsed.streams?.find((s) => s.codec_type === 'video');
  if (!video?.width || !video.height) throw new InvalidVideoError('the upload has no video stream');
  const [num, den] = (video.r_frame_rate ?? '30/1').split('/').map(Number);
  return { width: video.width, height: video.height, fps: { num: num || 30, den: den || 1 }, hasAudio: !!parsed.streams?.some((s) => s.codec_type === 'audio') };
}

/** The H.264 profile and level of a rendition's first segment (for the CODECS attribute). */
export async function probeVideoCodec(file: string): Promise<{ profile: string; level: number }> {
  const parsed = JSON.parse(await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=profile,level', '-print_format', 'json', file])) as { streams?: ProbeStream[] };
  const s = parsed.streams?.[0];
  return { profile: s?.profile ?? 'Main', level: s?.level ?? 31 };
}

export class InvalidVideoError extends Error {
  override readonly name = 'InvalidVideoError';
}

/**
 * One ffmpeg run: the source scaled to every rendition, H.264 (+ AAC), keyframes every `segmentS`
 * seconds so each MPEG-TS segment starts on an IDR, written as clear HLS under `outDir/<rendition>/`.
 * `progress` gets the fraction done (0..1).
 */
export async function transcode(input: string, source: SourceInfo, renditions: readonly Rendition[], outDir: string, segmentS: number, progress: (fraction: number) => void): Promise<void> {
  const gop = gopFrames(source.fps, segmentS);
  const split = renditions.length > 1 ? `[0:v]split=${renditions.length}${renditions.map((_, i) => `[s${i}]`).join('')};` : '[0:v]null[s0];';
  const filter = split + renditions.map((r, i) => `[s${i}]scale=${r.width}:${r.height}[v${i}]`).join(';');
  const args = ['-hide_banner', '-nostdin', '-y', '-i', input, '-filter_complex', filter];
  renditions.forEach((r, i) => {
    args.push('-map', `[v${i}]`, `-c:v:${i}`, 'libx264', `-b:v:${i}`, `${r.videoKbps}k`, `-maxrate:v:${i}`, `${Math.round(r.videoKbps * 1.1)}k`, `-bufsize:v:${i}`, `${r.videoKbps * 2}k`);
    if (source.hasAudio) args.push('-map', 'a:0', `-c:a:${i}`, 'aac', `-b:a:${i}`, `${r.audioKbps}k`, `-ac:a:${i}`, '2');
  });
  args.push(
    '-preset', 'veryfast', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
    '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
    '-force_key_frames', `expr:gte(t,n_forced*${segmentS})`,
    '-f', 'hls', '-hls_time', String(segmentS), '-hls_playlist_type', 'vod', '-hls_segment_type', 'mpegts', '-hls_flags', 'independent_segments',
    '-hls_segment_filename', join(outDir, '%v', 'seg-%05d.ts'),
    '-var_stream_map', renditions.map((r, i) => (source.hasAudio ? `v:${i},a:${i},name:${r.name}` : `v:${i},name:${r.name}`)).join(' '),
    '-progress', 'pipe:1', '-nostats',
    join(outDir, '%v', 'index.m3u8'),
  );
  await run('ffmpeg', args, (line) => {
    const m = /^out_time_us=(\d+)/.exec(line);
    if (m) progress(Math.min(1, Number(m[1]) / 1e6 / source.durationS));
  });
  progress(1);
}
