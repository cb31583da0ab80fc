/**
 * Encrypted HLS end to end, across real processes: a devnet (4 validators, 4 key-holder gateways),
 * a 36 s 640×360 video made with ffmpeg and published with `trucom stream publish --segment 2
 * --rotate 1 --grant <viewer>` (a new key every 2 s segment), then
 * - ffprobe reads the master and a media playlist through a gateway (with a signed key request
 *   header), and a segment decrypted with a released key is MPEG-TS with H.264 and AAC;
 * - the key server answers 401 (unsigned, forged, stale, replayed for another key), 403 (no grant),
 *   404 (unknown key), 200 (the same 16 bytes on every gateway);
 * - segments and playlists carry their content types, immutable caching, Range and CORS;
 * - hls.js in Debian's Chromium plays the stream on /watch/{content} with a Keplr-like wallet,
 *   and keeps playing when a replica's gateway is SIGKILLed;
 * - `trucom grant revoke` while playing: the player gets KEY_LOAD_ERROR 403 on a later key period
 *   and says so; the delay from the revoke's commit to the first 403 is measured and logged;
 * - a viewer without a grant never plays.
 * Ports 29800-29999.
 */
import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { accountKeyFromMnemonic, signAdr036 } from '@trucom/crypto';
import { waitFor } from '@trucom/testkit';
import {
  bufferedRanges,
  connectCometWebSocket,
  currentTime,
  execFileAsync,
  isAlive,
  keyAuthorization,
  keyLoadError,
  launchChromium,
  makeTestVideo,
  playerErrors,
  playUntil,
  requestKey,
  restJson,
  runCli,
  startDevnet,
  statusText,
  type Chromium,
  type PublishedStream as Published,
  type RunningDevnet,
} from './support/index.js';

const PORTS = { rpc: 29857, p2p: 29856, rest: 29817, gateway: 29880, dashboard: 29890 };
const CONTENT = 'clip';
const VIDEO_SECONDS = 36;

interface ProbeResult {
  streams: { codec_name: string; codec_type: string }[];
  format: { format_name: string; duration?: string };
}

async function ffprobe(url: string, authorization?: string): Promise<ProbeResult> {
  const headers = authorization ? ['-headers', `Authorization: ${authorization}\r\n`] : [];
  const { stdout } = await execFileAsync('ffprobe', ['-v', 'error', ...headers, '-print_format', 'json', '-show_streams', '-show_format', url], { timeout: 60_000 });
  return JSON.parse(stdout) as ProbeResult;
}

const codecs = (p: ProbeResult) => [...new Set(p.streams.map((s) => s.codec_name))].sort();

/** The segment URIs and key URIs of a VOD media playlist, in order. */
function parseMedia(text: string): { segments: string[]; keys: string[] } {
  const segments: string[] = [];
  const keys: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    const key = /^#EXT-X-KEY:METHOD=AES-128,URI="([^"]+)"$/.exec(line);
    if (key) keys.push(key[1]!);
    else if (line && !line.startsWith('#')) segments.push(line);
  }
  return { segments, keys };
}

describe('encrypted HLS streams: publish, play, revoke', { timeout: 900_000 }, () => {
  let devnet: RunningDevnet | undefined;
  let chromium: Chromium | undefined;
  let published: Published;
  let viewer: { address: string; key: Uint8Array };
  const stranger = { key: new Uint8Array(randomBytes(32)), address: '' };
  /** Endpoints of the gateways holding a replica of the stream's deal. */
  let replicas: string[];
  /** The gateway the browser plays through: one that holds no replica, when there is one. */
  let player: string;
  /** Gateways still running (one is SIGKILLed on the way). */
  let alive: string[];
  let mediaUrl: string;
  let media: { segments: string[]; keys: string[] };

  before(async () => {
    devnet = await startDevnet('trucom-stream-test-', PORTS);
    const video = join(devnet.home, 'source.mp4');
    await makeTestVideo(video, { seconds: VIDEO_SECONDS, width: 640, height: 360 });
    const account = devnet.account('viewer');
    viewer = { address: account.address, key: (await accountKeyFromMnemonic(account.mnemonic)).privateKey };
    stranger.address = signAdr036(stranger.key, 'x').signer;
    const t0 = Date.now();
    const r = await runCli(
      ['--home', devnet.home, 'stream', 'publish', video, '--name', CONTENT, '--from', 'publisher', '--grant', viewer.address, '--segment', '2', '--rotate', '1', '--gateway', devnet.gateways[0]!, '--node', devnet.rpc],
      devnet.env,
      480_000,
    );
    assert.equal(r.code, 0, `stream publish failed:\n${r.stdout}\n${r.stderr}`);
    published = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Published;
    console.log(`# published ${published.cid} (deal ${published.deal}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    assert.equal(published.content, CONTENT);
    assert.equal(published.watch, `${devnet.gateways[0]}/watch/${CONTENT}`);
    const deal = await restJson<{ kind: string; replicas: { endpoint: string; status: string }[] }>(devnet.rest, `/trucom/market/v1/deals/${published.deal}`);
    assert.equal(deal.body.kind, 'stream');
    replicas = deal.body.replicas.filter((x) => x.status === 'active').map((x) => x.endpoint.replace(/\/$/, ''));
    assert.equal(replicas.length, 3, JSON.stringify(deal.body.replicas));
    player = devnet.gateways.find((g) => !replicas.includes(g)) ?? devnet.gateways[0]!;
    alive = [...devnet.gateways];
    mediaUrl = `${player}/ipfs/${published.cid}/360p/index.m3u8`;
    media = parseMedia(await (await fetch(mediaUrl)).text());
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
    await devnet?.stop();
  });

  const keyId = (uri: string) => uri.split('/').at(-1)!;

  it('ffprobe reads the master and a media playlist through a gateway; a segment decrypted with a released key is MPEG-TS with H.264 and AAC', async () => {
    // one key period per 2 s segment, each with its own key URI on this content
    assert.equal(media.segments.length, VIDEO_SECONDS / 2);
    assert.deepEqual(media.keys, media.segments.map((_, i) => `/keys/${CONTENT}/k${i}`));

    // a signed header authorizes one key: k0 covers the first segment of every rendition, all a probe reads
    const master = await ffprobe(`${player}/ipfs/${published.cid}/master.m3u8`, keyAuthorization(viewer.key, CONTENT, 'k0'));
    assert.equal(master.format.format_name, 'hls');
    assert.deepEqual(codecs(master), ['aac', 'h264']);
    const variant = await ffprobe(mediaUrl, keyAuthorization(viewer.key, CONTENT, 'k0'));
    assert.deepEqual(codecs(variant), ['aac', 'h264']);
    assert.ok(Math.abs(Number(variant.format.duration) - VIDEO_SECONDS) < 1.5, `duration ${variant.format.duration}`);
    // without the header ffprobe gets no key and cannot decode a frame
    await assert.rejects(ffprobe(mediaUrl));

    const seq = 3;
    const segment = Buffer.from(await (await fetch(new URL(media.segments[seq]!, mediaUrl))).arrayBuffer());
    assert.equal(segment.length % 16, 0, 'AES-CBC ciphertext is whole blocks');
    const key = await requestKey(player, CONTENT, keyId(media.keys[seq]!), keyAuthorization(viewer.key, CONTENT, keyId(media.keys[seq]!)));
    assert.equal(key.status, 200, key.body.toString());
    assert.equal(key.body.length, 16);
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64BE(BigInt(seq), 8); // no IV attribute: the media sequence number, big endian
    const decipher = createDecipheriv('aes-128-cbc', key.body, iv);
    const clear = Buffer.concat([decipher.update(segment), decipher.final()]);
    assert.equal(clear.length % 188, 0, 'whole 188-byte TS packets');
    for (let i = 0; i < clear.length; i += 188) assert.equal(clear[i], 0x47, `sync byte of packet ${i / 188}`);
    // a test on one byte would fail 1 run in 256: the stored bytes must differ from the clear packets
    assert.notDeepEqual(segment.subarray(0, clear.length), clear, 'the stored segment is not clear MPEG-TS');
    const file = join(devnet!.home, 'segment.ts');
    writeFileSync(file, clear);
    const probe = await ffprobe(file);
    assert.equal(probe.format.format_name, 'mpegts');
    assert.deepEqual(codecs(probe), ['aac', 'h264']);
  });

  it('key requests: 401 unsigned, forged, stale or replayed for another key; 403 without a grant; 404 for an unknown key; the same key on every gateway', async () => {
    const gateway = player;
    assert.equal((await requestKey(gateway, CONTENT, 'k0')).status, 401, 'unsigned');
    const good = keyAuthorization(viewer.key, CONTENT, 'k0');
    const credentials = JSON.parse(Buffer.from(good.slice('ADR036 '.length), 'base64').toString('utf8')) as { signature: string };
    const sig = Buffer.from(credentials.signature, 'base64');
    sig[10]! ^= 0x01;
    const forged = `ADR036 ${Buffer.from(JSON.stringify({ ...credentials, signature: sig.toString('base64') })).toString('base64')}`;
    assert.equal((await requestKey(gateway, CONTENT, 'k0', forged)).status, 401, 'wrong signature');
    const stale = keyAuthorization(viewer.key, CONTENT, 'k0', Math.floor(Date.now() / 1000) - 600);
    assert.equal((await requestKey(gateway, CONTENT, 'k0', stale)).status, 401, 'ts 10 minutes old');
    assert.equal((await requestKey(gateway, CONTENT, 'k1', good)).status, 401, "the viewer's k0 signature replayed for k1");
    assert.equal((await requestKey(gateway, CONTENT, 'k0', keyAuthorization(stranger.key, CONTENT, 'k0'))).status, 403, 'a valid signature of a viewer without a grant');
    assert.equal((await requestKey(gateway, CONTENT, 'k999', keyAuthorization(viewer.key, CONTENT, 'k999'))).status, 404, 'a key id the content does not have');

    // every gateway is a key holder: each releases the same 16 bytes, never cacheable
    const keys = new Set<string>();
    for (const g of alive) {
      const res = await fetch(`${g}/keys/${CONTENT}/k0`, { headers: { authorization: keyAuthorization(viewer.key, CONTENT, 'k0') } });
      assert.equal(res.status, 200, g);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      keys.add(Buffer.from(await res.arrayBuffer()).toString('hex'));
    }
    assert.equal(keys.size, 1);
    // a player on another origin (the dashboard) may send the Authorization header: the CORS preflight allows it
    const preflight = await fetch(`${gateway}/keys/${CONTENT}/k0`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    assert.ok(preflight.status === 204 || preflight.status === 200, `preflight ${preflight.status}`);
    assert.ok(['*', 'http://127.0.0.1:3000'].includes(preflight.headers.get('access-control-allow-origin') ?? ''));
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/i);
    for (const g of alive) assert.equal((await fetch(`${g}/health`)).status, 200, `${g} stays healthy`);
  });

  it('segments are video/mp2t, immutable, with Range and CORS; playlists are application/vnd.apple.mpegurl', async () => {
    for (const url of [`${player}/ipfs/${published.cid}/master.m3u8`, mediaUrl]) {
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/vnd.apple.mpegurl', url);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      await res.arrayBuffer();
    }
    const segmentUrl = new URL(media.segments[0]!, mediaUrl).toString();
    const whole = await fetch(segmentUrl);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-type'), 'video/mp2t');
    assert.match(whole.headers.get('cache-control') ?? '', /\bimmutable\b/);
    assert.equal(whole.headers.get('access-control-allow-origin'), '*');
    const bytes = Buffer.from(await whole.arrayBuffer());
    const part = await fetch(segmentUrl, { headers: { range: 'bytes=16-207' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 16-207/${bytes.length}`);
    assert.equal(part.headers.get('content-type'), 'video/mp2t');
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(16, 208));
  });

  let playing: Page | undefined;

  it('hls.js in Chromium plays at least 5 s of the granted stream on /watch/{content}', async () => {
    playing = await chromium!.watch(`${player}/watch/${CONTENT}`, viewer.key);
    const t0 = Date.now();
    const at = await playUntil(playing, 5, 120_000);
    console.log(`# played ${at.toFixed(2)} s through ${player} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    assert.match(await statusText(playing), new RegExp(`Watching as ${viewer.address}`));
    assert.deepEqual((await playerErrors(playing)).filter((e) => e.fatal), []);
  });

  it("losing one replica's gateway (SIGKILL) does not interrupt playback through another gateway", async () => {
    assert.ok(playing, 'the player of the previous test');
    const victim = replicas.find((r) => r !== player)!;
    const index = devnet!.gateways.indexOf(victim);
    const pid = devnet!.gatewayPid(index);
    assert.ok(pid, `the process of gateway g${index} (${victim})`);
    const from = await currentTime(playing);
    process.kill(pid, 'SIGKILL');
    await waitFor(`gateway g${index} to die`, () => (isAlive(pid) ? undefined : true), 10_000);
    alive = alive.filter((g) => g !== victim);
    // rotate 1: every further 2 s of video needs a new key and new segments from the playing gateway
    const to = await playUntil(playing, from + 5, 90_000);
    console.log(`# killed g${index} (a replica) at ${from.toFixed(2)} s; playback went on to ${to.toFixed(2)} s through ${player}`);
    assert.deepEqual((await playerErrors(playing)).filter((e) => e.fatal), []);
    await playing.close();
  });

  it('after `trucom grant revoke` the playing viewer gets KEY_LOAD_ERROR 403 on a later key period and is told; the revoke-to-refusal delay is measured', async () => {
    const page = await chromium!.watch(`${player}/watch/${CONTENT}`, viewer.key);
    const keyResponses: { key: string; status: number; at: number }[] = [];
    page.on('response', (res) => {
      const m = /\/keys\/[^/]+\/([^/?]+)$/.exec(new URL(res.url()).pathname);
      if (m) keyResponses.push({ key: m[1]!, status: res.status(), at: Date.now() });
    });
    await playUntil(page, 2, 120_000);

    // a direct key request every ~50 ms; each block's commit as its NewBlockHeader event arrives
    const direct = alive.find((g) => g !== player) ?? player;
    const polls: { at: number; status: number }[] = [];
    const heights: { at: number; height: number }[] = [];
    const ws = connectCometWebSocket(devnet!.rpc.replace(/^http/, 'ws'));
    const headers = ws.client.subscribeNewBlockHeader();
    const onHeader = { next: (h: { height: number }) => heights.push({ at: Date.now(), height: h.height }), error: () => undefined, complete: () => undefined };
    headers.addListener(onHeader);
    let polling = true;
    const keyPoller = (async () => {
      while (polling) {
        const r = await requestKey(direct, CONTENT, 'k0', keyAuthorization(viewer.key, CONTENT, 'k0')).catch(() => undefined);
        if (r) polls.push({ at: Date.now(), status: r.status });
        if (r?.status === 403) return;
        await new Promise((res) => setTimeout(res, 50));
      }
    })();
    let revokeHeight: number;
    let sentAt: number;
    try {
      await waitFor('a first direct 200', () => (polls.some((p) => p.status === 200) ? true : undefined), 20_000);
      sentAt = Date.now();
      const r = await runCli(['--home', devnet!.home, '-o', 'json', 'grant', 'revoke', CONTENT, viewer.address, '--from', 'publisher', '--node', devnet!.rpc], devnet!.env, 120_000);
      assert.equal(r.code, 0, `grant revoke failed:\n${r.stdout}\n${r.stderr}`);
      const tx = JSON.parse(r.stdout) as { code: number; height: number | string };
      assert.equal(tx.code, 0);
      revokeHeight = Number(tx.height);
      await waitFor('a direct 403', () => (polls.some((p) => p.status === 403) ? true : undefined), 60_000, 50);
      await waitFor(`the header of block ${revokeHeight}`, () => (heights.some((h) => h.height >= revokeHeight) ? true : undefined), 30_000, 50);
    } finally {
      polling = false;
      await keyPoller;
      headers.removeListener(onHeader);
      ws.close();
    }
    const first403 = polls.find((p) => p.status === 403)!;
    assert.ok(polls.filter((p) => p.at > first403.at).every((p) => p.status === 403), 'no key after the first refusal');
    const committedAt = heights.find((h) => h.height >= revokeHeight)!.at;
    const heightAt403 = Math.max(revokeHeight - 1, ...heights.filter((h) => h.at <= first403.at).map((h) => h.height));
    const blocks = heightAt403 - revokeHeight;
    console.log(`# revoke committed at height ${revokeHeight} (${committedAt - sentAt} ms after the CLI started); first direct 403 from ${direct} ${first403.at - committedAt} ms after its NewBlockHeader arrived, at height ${heightAt403} (${blocks} block(s) later); last 200 ${first403.at - (polls.filter((p) => p.status === 200).at(-1)?.at ?? first403.at)} ms before it`);
    assert.ok(blocks <= 2, `refused within 2 blocks of the revoke (was ${blocks})`);
    assert.ok(polls.filter((p) => p.status === 200).every((p) => p.at <= first403.at));

    // the player: refused at a key period after those it fetched before the revoke, and it says so
    const error = await keyLoadError(page, 403, 60_000);
    assert.equal(error.code, 403);
    const grantedBefore = keyResponses.filter((k) => k.status === 200 && k.at < committedAt).map((k) => Number(k.key.slice(1)));
    const refused = keyResponses.filter((k) => k.status === 403).map((k) => Number(k.key.slice(1)));
    assert.ok(grantedBefore.length > 0 && refused.length > 0, JSON.stringify(keyResponses));
    assert.ok(Math.min(...refused) > Math.max(...grantedBefore), `refused ${refused} after granted ${grantedBefore}`);
    assert.match(await statusText(page), /revoked/);
    console.log(`# player: keys ${[...new Set(grantedBefore)].join(',')} released before the revoke, k${Math.min(...refused)} refused (403) at ${(await currentTime(page)).toFixed(2)} s`);
    await page.close();
  });

  it('a second viewer with no grant never plays, and the page says so', async () => {
    const page = await chromium!.watch(`${player}/watch/${CONTENT}`, stranger.key);
    const error = await keyLoadError(page, 403, 60_000);
    assert.equal(error.details, 'keyLoadError');
    assert.equal(await currentTime(page), 0);
    assert.equal(await bufferedRanges(page), 0, 'nothing was decrypted into the buffer');
    assert.match(await statusText(page), /revoked or never granted/);
    await page.close();
  });
});
