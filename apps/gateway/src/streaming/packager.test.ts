import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ladderFor } from './ladder.js';
import { packageStream } from './packager.js';
import { parseMediaPlaylist } from './playlists.js';
import { decryptSegment } from './segment-cipher.js';
import { probeSource, transcode } from './transcoder.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packager-'));
  // 10 s of 640×360 test pattern with a tone: the kind of file a publisher uploads.
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '10', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-pix_fmt', 'yuv420p', join(dir, 'in.mp4')]);
});
after(() => rm(dir, { recursive: true, force: true }));

test('transcode a ladder, then encrypt every segment with keys rotating every 2 segments', async () => {
  const source = await probeSource(join(dir, 'in.mp4'));
  assert.deepEqual({ w: source.width, h: source.height, audio: source.hasAudio }, { w: 640, h: 360, audio: true });
  const renditions = ladderFor(source);
  const fractions: number[] = [];
  await transcode(join(dir, 'in.mp4'), source, renditions, join(dir, 'clear'), 2, (f) => fractions.push(f));
  assert.equal(fractions.at(-1), 1);
  const packaged = await packageStream(join(dir, 'clear'), join(dir, 'out'), source, renditions, 2, (k) => `/keys/movie/${k}`);
  assert.equal(packaged.segments, 5);
  assert.deepEqual([...packaged.keys.keys()], ['k0', 'k1', 'k2']);

  const master = await readFile(join(dir, 'out', 'master.m3u8'), 'utf8');
  assert.match(master, /#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,RESOLUTION=640x360,CODECS="avc1\.4d40[0-9a-f]{2},mp4a\.40\.2",FRAME-RATE=30\.000\n360p\/index\.m3u8/);
  const media = await readFile(join(dir, 'out', '360p', 'index.m3u8'), 'utf8');
  assert.equal(media.match(/#EXT-X-KEY:METHOD=AES-128,URI="\/keys\/movie\/k\d"/g)?.length, 3);
  assert.match(media, /#EXT-X-PLAYLIST-TYPE:VOD[\s\S]*#EXT-X-ENDLIST/);

  // No clear segment is left; an encrypted one decrypts to MPEG-TS that ffprobe reads.
  assert.deepEqual((await readdir(join(dir, 'clear', '360p'))).filter((f) => f.endsWith('.ts')), []);
  const segments = parseMediaPlaylist(media);
  const encrypted = await readFile(join(dir, 'out', '360p', segments[3]!.uri));
  const clear = decryptSegment(encrypted, packaged.keys.get('k1')!, 3);
  assert.equal(clear[0], 0x47, 'MPEG-TS sync byte');
  assert.notDeepEqual(encrypted.subarray(0, clear.length), clear, 'not clear MPEG-TS');
  await writeFile(join(dir, 'seg.ts'), clear);
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', join(dir, 'seg.ts')], { encoding: 'utf8' })) as { streams: { codec_name: string }[] };
  assert.deepEqual(probe.streams.map((s) => s.codec_name).sort(), ['aac', 'h264']);
});

test('a file that is not a video is refused with a clear error', async () => {
  await writeFile(join(dir, 'notes.txt'), 'hello');
  await assert.rejects(probeSource(join(dir, 'notes.txt')), /not a video|no video/);
});
