/**
 * Live HLS end to end, across real processes: a devnet (4 validators, 4 key-holder gateways);
 * `trucom stream live --segment 2 --rotate 2 --grant <viewer>` registers the content with deal 0 and
 * its keys, gets a stream key from g0 and prints the ingest URL; then
 * - ingest PUTs with a wrong stream key (403), a bad name (400), a body that is not MPEG-TS (400) or
 *   one too large (413) are refused and store nothing;
 * - ffmpeg (-re, a generated test pattern with a tone) pushes HLS over HTTP PUT for LIVE_SECONDS;
 *   while it is still publishing, hls.js in Debian's Chromium plays /watch/{content} (the live
 *   playlist: a sliding window without EXT-X-ENDLIST) for ≥ 5 s through the granted viewer;
 * - when ffmpeg ends, the gateway stores the encrypted segments with VOD playlists as one UnixFS
 *   directory, the CLI puts it under a deal of kind stream and attaches the deal to the content;
 *   ffprobe reads the stored master playlist and /watch/{content} now plays the VOD.
 * Ports 30900-30999.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { accountKeyFromMnemonic } from '@trucom/crypto';
import { waitFor } from '@trucom/testkit';
import { currentTime, execFileAsync, keyAuthorization, launchChromium, playerErrors, playUntil, restJson, spawnNode, startDevnet, TRUCOM_CLI, type Chromium, type PublishedStream, type RunningDevnet, type Spawned } from './support/index.js';

const PORTS = { rpc: 30957, p2p: 30956, rest: 30917, gateway: 30980, dashboard: 30990 };
const CONTENT = 'cam';
const LIVE_SECONDS = 30;

interface Opened {
  readonly content: string;
  readonly ingest: string;
  readonly playlist: string;
  readonly watch: string;
}

const jsonLines = (text: string) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

/** ffmpeg pushing a live test pattern with a tone as 2 s HLS segments over HTTP PUT, in real time. */
function pushLive(ingest: string, seconds: number): { child: ChildProcess; exited: Promise<number | null>; stderr(): string } {
  const child = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-re', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=30',
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-c:a', 'aac',
    '-f', 'hls', '-hls_time', '2', '-hls_list_size', '6', '-method', 'PUT', ingest,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return { child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))), stderr: () => err };
}

const put = (url: string, body: Uint8Array) => fetch(url, { method: 'PUT', body, signal: AbortSignal.timeout(30_000) });

describe('live HLS: ffmpeg pushes, a granted viewer watches while it is live, the ended stream is stored under a deal', { timeout: 600_000 }, () => {
  let devnet: RunningDevnet | undefined;
  let chromium: Chromium | undefined;
  let cli: Spawned | undefined;
  let ffmpeg: ReturnType<typeof pushLive> | undefined;
  let viewer: { address: string; key: Uint8Array };
  let opened: Opened;
  let g0: string;

  before(async () => {
    devnet = await startDevnet('trucom-live-test-', PORTS);
    g0 = devnet.gateways[0]!;
    const account = devnet.account('viewer');
    viewer = { address: account.address, key: (await accountKeyFromMnemonic(account.mnemonic)).privateKey };
    cli = spawnNode(
      [TRUCOM_CLI, '--home', devnet.home, 'stream', 'live', '--name', CONTENT, '--from', 'publisher', '--grant', viewer.address, '--segment', '2', '--rotate', '2', '--max-minutes', '2', '--gateway', g0, '--node', devnet.rpc],
      devnet.env,
    );
    const running = cli;
    opened = (await waitFor(
      'the ingest URL from trucom stream live',
      () => {
        if (running.child.exitCode !== null) throw new Error(`trucom stream live exited with ${running.child.exitCode}:\n${running.stdout()}\n${running.stderr()}`);
        return jsonLines(running.stdout()).find((l) => typeof l.ingest === 'string');
      },
      120_000,
      200,
    )) as unknown as Opened;
    chromium = await launchChromium();
  });

  after(async () => {
    ffmpeg?.child.kill('SIGKILL');
    cli?.child.kill('SIGKILL');
    await chromium?.close();
    await devnet?.stop();
  });

  it('bad ingest requests are refused with their reason and store nothing', async () => {
    assert.equal(opened.content, CONTENT);
    assert.equal(opened.playlist, `${g0}/live/${CONTENT}/index.m3u8`);
    const streamKey = new URL(opened.ingest).pathname.split('/')[3]!;
    assert.match(streamKey, /^[0-9a-f]{32}$/);
    const base = `${g0}/live/${CONTENT}/${streamKey}`;
    const packet = Buffer.alloc(188 * 10, 0xff).fill(0x47, 0, 1);

    const wrongKey = await put(`${g0}/live/${CONTENT}/${'0'.repeat(32)}/index0.ts`, packet);
    assert.equal(wrongKey.status, 403, await wrongKey.text());
    assert.equal((await put(`${g0}/live/${CONTENT}/short/index0.ts`, packet)).status, 403);
    assert.equal((await put(`${g0}/live/nothing/${streamKey}/index0.ts`, packet)).status, 404, 'no live stream of that content');
    const badName = await put(`${base}/run.sh`, packet);
    assert.equal(badName.status, 400);
    assert.match(((await badName.json()) as { error: string }).error, /ingest files are <name>\.ts segments/);
    const notTs = await put(`${base}/index0.ts`, Buffer.from('hello, not a video'));
    assert.equal(notTs.status, 400);
    assert.match(((await notTs.json()) as { error: string }).error, /not MPEG-TS/);
    assert.equal((await put(`${base}/index0.ts`, Buffer.alloc(33 * 1024 * 1024, 0x47))).status, 413);

    const status = await restJson<{ state: string; segments: number }>(g0, `/api/v1/live/${CONTENT}`);
    assert.deepEqual([status.body.state, status.body.segments], ['live', 0]);
    const playlist = await (await fetch(opened.playlist)).text();
    assert.doesNotMatch(playlist, /#EXTINF|ENDLIST/, 'nothing was published');
  });

  it('a live stream plays while it is being published', async () => {
    ffmpeg = pushLive(opened.ingest, LIVE_SECONDS);
    const pushing = ffmpeg;
    const t0 = Date.now();
    const page = await chromium!.watch(opened.watch, viewer.key);
    const start = await playUntil(page, 0.1, 60_000);
    const reached = await playUntil(page, start + 5, 30_000);
    assert.equal(pushing.child.exitCode, null, `ffmpeg is still publishing (${((Date.now() - t0) / 1000).toFixed(1)} s in): ${pushing.stderr()}`);
    console.log(`# live playback from ${start.toFixed(1)} s to ${reached.toFixed(1)} s, ${((Date.now() - t0) / 1000).toFixed(1)} s after ffmpeg started`);
    assert.deepEqual((await playerErrors(page)).filter((e) => e.fatal), []);

    const live = await (await fetch(opened.playlist)).text();
    assert.doesNotMatch(live, /ENDLIST|PLAYLIST-TYPE/, 'a live playlist while publishing');
    assert.match(live, /#EXT-X-KEY:METHOD=AES-128,URI="\/keys\/cam\/k\d+"/);
    const listed = live.split('\n').filter((l) => l.startsWith('seg-'));
    assert.ok(listed.length >= 3 && listed.length <= 6, `a window of at most 6 segments: ${listed.join(' ')}`);
    const sequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(live)![1]);
    assert.equal(listed[0], `seg-${String(sequence).padStart(5, '0')}.ts`);
    await waitFor('the window to slide', async () => Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(await (await fetch(opened.playlist)).text())![1]) > sequence || undefined, 20_000, 500);
    assert.ok((await currentTime(page)) > reached, 'still playing');
    await page.close();
  });

  it('when ffmpeg ends, the stream is stored as VOD under a deal and ffprobe reads it', async () => {
    assert.equal(await ffmpeg!.exited, 0, ffmpeg!.stderr());
    const { code } = await cli!.exited;
    assert.equal(code, 0, `trucom stream live failed:\n${cli!.stdout()}\n${cli!.stderr()}`);
    const stored = jsonLines(cli!.stdout()).at(-1) as unknown as PublishedStream;
    assert.equal(stored.content, CONTENT);
    assert.equal(stored.master, `${g0}/ipfs/${stored.cid}/master.m3u8`);

    const deal = await restJson<{ kind: string; cid: string }>(devnet!.rest, `/trucom/market/v1/deals/${stored.deal}`);
    assert.deepEqual([deal.body.kind, deal.body.cid], ['stream', stored.cid]);
    const content = await restJson<{ deal_id: number }>(devnet!.rest, `/trucom/grants/v1/contents/${CONTENT}`);
    assert.equal(content.body.deal_id, stored.deal, 'the deal is attached to the content');

    const master = await (await fetch(stored.master)).text();
    assert.match(master, /#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,RESOLUTION=640x360,CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2",FRAME-RATE=30\.000\n360p\/index\.m3u8/);
    const media = await (await fetch(`${g0}/ipfs/${stored.cid}/360p/index.m3u8`)).text();
    assert.match(media, /#EXT-X-PLAYLIST-TYPE:VOD[\s\S]*#EXT-X-KEY:METHOD=AES-128,URI="\/keys\/cam\/k0"[\s\S]*#EXT-X-ENDLIST/);
    const { stdout } = await execFileAsync('ffprobe', ['-v', 'error', '-headers', `Authorization: ${keyAuthorization(viewer.key, CONTENT, 'k0')}\r\n`, '-print_format', 'json', '-show_streams', '-show_format', stored.master], { timeout: 60_000 });
    const probe = JSON.parse(stdout) as { streams: { codec_name: string }[]; format: { format_name: string; duration?: string } };
    assert.equal(probe.format.format_name, 'hls');
    assert.deepEqual([...new Set(probe.streams.map((s) => s.codec_name))].sort(), ['aac', 'h264']);
    assert.ok(Math.abs(Number(probe.format.duration) - LIVE_SECONDS) < 3, `duration ${probe.format.duration}`);

    const watch = await (await fetch(`${g0}/watch/${CONTENT}`)).text();
    assert.ok(watch.includes(`/ipfs/${stored.cid}/master.m3u8`), 'the watch page now plays the stored VOD');
  });
});
