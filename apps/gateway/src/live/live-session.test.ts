import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DiskBlockstore, resolveFile } from '@trucom/content';
import type { CID } from 'multiformats/cid';
import { decryptSegment } from '../streaming/segment-cipher.js';
import { IngestError, LiveSession } from './live-session.js';
import { LiveStreams } from './live-streams.js';

const OWNER = 'tru1owner';
const keys = new Map(Array.from({ length: 2 }, (_, i) => [`k${i}`, new Uint8Array(16).fill(i + 1)]));
let dir: string;
/** ffmpeg's clear output for a 5 × 1 s stream: its playlist text and segments by name. */
let clear: { playlist: string; segments: Map<string, Buffer> };
let store: DiskBlockstore;
const stored: CID[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'live-session-'));
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', '-f', 'lavfi', '-i', 'sine', '-t', '5', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0', join(dir, 'index.m3u8')]);
  const names = (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  clear = { playlist: await readFile(join(dir, 'index.m3u8'), 'utf8'), segments: new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n))] as const))) };
  store = await DiskBlockstore.open(join(dir, 'blocks'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A gateway's live streams over work directory `work` (the same one again: the gateway restarted). */
function streams(work: string): LiveStreams {
  return new LiveStreams({
    content: async (id) => (id === 'cam' ? { owner: OWNER, dealId: 0, keyIds: [...keys.keys()] } : id === 'vod' ? { owner: OWNER, dealId: 4, keyIds: ['k0'] } : undefined),
    keys: { contentKey: async (_content, keyId) => keys.get(keyId) },
    store,
    stored: async (root) => void stored.push(root),
    workDir: join(dir, work),
    log: pino({ level: 'silent' }),
  });
}

const refusal = (status: number, message: RegExp) => (err: unknown) => err instanceof IngestError && err.status === status && message.test(err.message);

test('only the owner of a registered live content with openable keys gets a stream key, once', async () => {
  const live = streams('restarted');
  const open = (content: string, signer = OWNER) => live.open({ content, signer, segmentS: 1, rotateEvery: 2 });
  await assert.rejects(open('nothing'), refusal(404, /not registered on chain/));
  await assert.rejects(open('cam', 'tru1other'), refusal(403, /belongs to tru1owner/));
  await assert.rejects(open('vod'), refusal(409, /stored under deal 4/));
  const session = await open('cam');
  assert.match(session.options.streamKey, /^[0-9a-f]{32}$/);
  assert.equal(live.authorize('cam', session.options.streamKey), session);
  assert.throws(() => live.authorize('cam', 'f'.repeat(32)), refusal(403, /does not open/));
  assert.throws(() => live.authorize('other', session.options.streamKey), refusal(404, /no live stream/));
  await assert.rejects(streams('restarted').open({ content: 'cam', signer: OWNER, segmentS: 1, rotateEvery: 2 }), refusal(409, /streamed through this gateway already/), 'even after a restart: its keys and IVs are spent');
});

test('segments are encrypted on arrival, published once dated, refused past the declared key periods; the end stores a VOD directory', async () => {
  const session = await streams('fresh').open({ content: 'cam', signer: OWNER, segmentS: 1, rotateEvery: 2 });
  const names = [...clear.segments.keys()];
  assert.ok(names.length >= 5, `ffmpeg cut ${names.length} segments`);
  await assert.rejects(session.putSegment('junk.ts', Buffer.from('not a video')), refusal(400, /not MPEG-TS/));
  for (const [i, name] of names.slice(0, 4).entries()) assert.equal(await session.putSegment(name, clear.segments.get(name)!), i);
  // 2 key periods of 2 segments: a fifth segment has no key on chain
  await assert.rejects(session.putSegment(names[4]!, clear.segments.get(names[4]!)!), refusal(409, /declares 2 key periods of 2 segments/));
  assert.doesNotMatch(session.livePlaylist(), /#EXTINF/, 'nothing is published before ffmpeg dates it');

  const stored0 = await readFile(session.segmentPath('seg-00003.ts')!);
  assert.deepEqual(decryptSegment(stored0, keys.get('k1')!, 3), clear.segments.get(names[3]!), 'segment 3: key k1, IV 3');
  assert.notDeepEqual(stored0.subarray(0, 188), clear.segments.get(names[3]!)!.subarray(0, 188));

  await session.putPlaylist(clear.playlist.replace('#EXT-X-ENDLIST', ''));
  const window = session.livePlaylist();
  assert.match(window, /#EXT-X-MEDIA-SEQUENCE:0\n/);
  assert.deepEqual(window.match(/URI="[^"]+"/g), ['URI="/keys/cam/k0"', 'URI="/keys/cam/k1"']);
  assert.equal(window.match(/^seg-\d{5}\.ts$/gm)?.length, 4);
  assert.doesNotMatch(window, /ENDLIST/);

  await session.putPlaylist(clear.playlist);
  await session.end();
  const status = session.status();
  assert.equal(status.state, 'ended', status.error);
  assert.equal(status.segments, 4);
  assert.match(session.livePlaylist(), /#EXT-X-ENDLIST\n$/);
  assert.equal(stored.at(-1)!.toString(), status.cid);
  const file = async (path: string) => {
    const chunks: Uint8Array[] = [];
    for await (const c of (await resolveFile(store, `/ipfs/${status.cid}/${path}`)).content()) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  };
  assert.match(await file('master.m3u8'), /RESOLUTION=320x180,CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2",FRAME-RATE=25\.000\n180p\/index\.m3u8/);
  assert.match(await file('180p/index.m3u8'), /#EXT-X-PLAYLIST-TYPE:VOD[\s\S]*seg-00003\.ts\n#EXT-X-ENDLIST/);
  await assert.rejects(session.putSegment(names[0]!, clear.segments.get(names[0]!)!), refusal(409, /has ended/));
});

test('a stream whose publisher goes silent (ffmpeg killed, no EXT-X-ENDLIST) is ended and stored as it stands', async () => {
  const name = [...clear.segments.keys()][0]!;
  const session = new LiveSession(
    { content: 'cam', owner: OWNER, streamKey: 'k', segmentS: 1, rotateEvery: 2, keyPeriods: 2, dir: await mkdtemp(join(dir, 'idle-')), idleEndMs: 300 },
    { keys: { contentKey: async (_c, keyId) => keys.get(keyId) }, store, stored: async () => undefined, log: pino({ level: 'silent' }) },
  );
  await session.putSegment(name, clear.segments.get(name)!);
  await session.putPlaylist(`#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n${name}\n`);
  const t0 = Date.now();
  while (session.status().state !== 'ended' && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual([session.status().state, session.status().segments], ['ended', 1]);
  assert.ok(Date.now() - t0 >= 250, 'not before the idle time');
});
