import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestFile, livePlaylist, segmentFile, segmentSeq } from './live-playlist.js';

const keyUri = (k: string) => `/keys/cam/${k}`;
const stream = (n: number) => Array.from({ length: n }, (_, i) => ({ uri: segmentFile(i), durationS: 2, keyId: `k${Math.floor(i / 3)}` }));

test('the live window keeps the last 6 segments, its media sequence advancing, a key tag at its top and at each period', () => {
  const text = livePlaylist(stream(8), keyUri, { targetS: 2, ended: false });
  assert.equal(
    text,
    [
      '#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:2', '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-KEY:METHOD=AES-128,URI="/keys/cam/k0"', '#EXTINF:2.000000,', 'seg-00002.ts',
      '#EXT-X-KEY:METHOD=AES-128,URI="/keys/cam/k1"', '#EXTINF:2.000000,', 'seg-00003.ts', '#EXTINF:2.000000,', 'seg-00004.ts', '#EXTINF:2.000000,', 'seg-00005.ts',
      '#EXT-X-KEY:METHOD=AES-128,URI="/keys/cam/k2"', '#EXTINF:2.000000,', 'seg-00006.ts', '#EXTINF:2.000000,', 'seg-00007.ts',
      '',
    ].join('\n'),
  );
  assert.doesNotMatch(text, /PLAYLIST-TYPE|ENDLIST/, 'a live playlist has neither (RFC 8216 §6.2.2)');
});

test('a short stream lists everything from sequence 0; an ended one closes with EXT-X-ENDLIST; the target duration stays as given', () => {
  const text = livePlaylist(stream(2), keyUri, { targetS: 4, ended: true });
  assert.match(text, /#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n/);
  assert.match(text, /seg-00001\.ts\n#EXT-X-ENDLIST\n$/);
  assert.equal(livePlaylist([], keyUri, { targetS: 2, ended: false }).includes('#EXTINF'), false);
});

test('ingest names: segments and playlists only, no paths', () => {
  assert.deepEqual(ingestFile('index0.ts'), { kind: 'segment', name: 'index0.ts' });
  assert.deepEqual(ingestFile('index.m3u8'), { kind: 'playlist' });
  for (const bad of ['', 'index.mp4', '../index.m3u8', 'a/b.ts', '.ts', 'seg 1.ts', `${'x'.repeat(65)}.ts`, 'index.m3u8.tmp']) {
    assert.ok('problem' in ingestFile(bad), bad);
  }
});

test('stored segment names round-trip their sequence number; anything else is no segment', () => {
  assert.equal(segmentFile(7), 'seg-00007.ts');
  assert.equal(segmentSeq(segmentFile(123456)), 123456);
  for (const bad of ['seg-1.ts', 'seg-00001.m3u8', 'index.m3u8', '../seg-00001.ts']) assert.equal(segmentSeq(bad), undefined, bad);
});
