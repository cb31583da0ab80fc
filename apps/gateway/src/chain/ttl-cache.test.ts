import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TtlCache } from './ttl-cache.js';

function clockedCache(staleMs: number) {
  const clock = { t: 0 };
  let loads = 0;
  let answer = 'a';
  const cache = new TtlCache<string>(100, { staleMs, now: () => clock.t });
  const load = async () => {
    loads++;
    return answer;
  };
  return { cache, clock, load, loads: () => loads, answer: (v: string) => (answer = v) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('within the TTL an answer is reused; concurrent misses share one lookup', async () => {
  const c = clockedCache(0);
  assert.deepEqual(await Promise.all([c.cache.get('k', c.load), c.cache.get('k', c.load)]), ['a', 'a']);
  c.clock.t = 99;
  assert.equal(await c.cache.get('k', c.load), 'a');
  assert.equal(c.loads(), 1);
});

test('without a stale window an expired answer is awaited afresh', async () => {
  const c = clockedCache(0);
  await c.cache.get('k', c.load);
  c.answer('b');
  c.clock.t = 100;
  assert.equal(await c.cache.get('k', c.load), 'b');
  assert.equal(c.loads(), 2);
});

test('in the stale window the old answer is served at once while one background lookup replaces it', async () => {
  const c = clockedCache(300);
  await c.cache.get('k', c.load);
  c.answer('b');
  c.clock.t = 150;
  // two requests before the background lookup answers: both get the old answer at once
  assert.deepEqual(await Promise.all([c.cache.get('k', c.load), c.cache.get('k', c.load)]), ['a', 'a']);
  await settle();
  assert.equal(await c.cache.get('k', c.load), 'b', 'the refreshed answer');
  assert.equal(c.loads(), 2, 'one background lookup for both stale hits');
});

test('past TTL + stale window nothing old is served: the fresh answer is awaited', async () => {
  const c = clockedCache(300);
  await c.cache.get('k', c.load);
  c.answer('revoked');
  c.clock.t = 400;
  assert.equal(await c.cache.get('k', c.load), 'revoked');
});

test('a failed lookup is not remembered, and a failed refresh keeps the stale answer until it ages out', async () => {
  const c = clockedCache(300);
  await assert.rejects(c.cache.get('k', async () => Promise.reject(new Error('rpc down'))));
  assert.equal(await c.cache.get('k', c.load), 'a', 'the failure was not cached');
  c.clock.t = 150;
  assert.equal(await c.cache.get('k', async () => Promise.reject(new Error('rpc down'))), 'a');
  await settle();
  c.clock.t = 200;
  c.answer('b');
  assert.equal(await c.cache.get('k', c.load), 'a', 'still stale; this hit retries in the background');
  await settle();
  assert.equal(await c.cache.get('k', c.load), 'b');
  c.clock.t = 1000;
  await assert.rejects(c.cache.get('k', async () => Promise.reject(new Error('rpc down'))), /rpc down/, 'too old to serve');
});
