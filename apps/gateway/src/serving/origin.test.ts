import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originOf } from './origin.js';

test('site origins by Host, everything else is the path gateway', () => {
  assert.deepEqual(originOf('blog.sites.localhost:8080'), { kind: 'site', name: 'blog' });
  assert.deepEqual(originOf('My-Site.SITES.localhost'), { kind: 'site', name: 'my-site' });
  assert.deepEqual(originOf('127.0.0.1:8080'), { kind: 'path-gateway' });
  assert.deepEqual(originOf('localhost:8080'), { kind: 'path-gateway' });
  assert.deepEqual(originOf('a.b.sites.localhost'), { kind: 'path-gateway' });
  assert.deepEqual(originOf('-x.sites.localhost'), { kind: 'path-gateway' });
  assert.deepEqual(originOf(undefined), { kind: 'path-gateway' });
});
