import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameRate, gopFrames, ladderFor } from './ladder.js';

const source = (width: number, height: number, hasAudio = true) => ({ width, height, fps: { num: 30, den: 1 }, durationS: 10, hasAudio });

test('the ladder never upscales and keeps the top rung', () => {
  assert.deepEqual(ladderFor(source(1920, 1080)).map((r) => r.name), ['1080p', '432p', '234p']);
  assert.deepEqual(ladderFor(source(1280, 720)).map((r) => `${r.name} ${r.width}x${r.height} ${r.videoKbps}k`), ['720p 1280x720 3000k', '432p 768x432 1100k', '234p 416x234 145k']);
  assert.deepEqual(ladderFor(source(640, 360)).map((r) => r.name), ['360p', '234p']);
  assert.deepEqual(ladderFor(source(320, 180)).map((r) => `${r.width}x${r.height}`), ['320x180']);
  assert.equal(ladderFor(source(640, 360, false))[0]!.audioKbps, 0);
});

test('segments start on keyframes: GOP = fps × segment length', () => {
  assert.equal(gopFrames({ num: 30000, den: 1001 }, 4), 120);
  assert.equal(gopFrames({ num: 25, den: 1 }, 4), 100);
  assert.equal(frameRate({ num: 30000, den: 1001 }), '29.970');
});
