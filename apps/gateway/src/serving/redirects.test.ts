import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchRedirect, parseRedirects, RedirectsFileError } from './redirects.js';

// The spec's "examples" fixture.
const EXAMPLES = `/redirect-one /one.html
/301-redirect-one /one.html 301
/302-redirect-two /two.html 302
/200-index /index.html 200
/posts/:year/:month/:day/:title /articles/:year/:month/:day/:title 301
/splat/* /redirected-splat/:splat 301
/not-found/* /404.html 404
/gone/* /410.html 410
/unavail/* /451.html 451
/* /index.html 200
`;

test('the spec fixture: redirects, rewrites, placeholders and splats, first match wins', () => {
  const rules = parseRedirects(EXAMPLES);
  assert.deepEqual(matchRedirect(rules, '/redirect-one'), { kind: 'redirect', location: '/one.html', status: 301 });
  assert.deepEqual(matchRedirect(rules, '/302-redirect-two'), { kind: 'redirect', location: '/two.html', status: 302 });
  assert.deepEqual(matchRedirect(rules, '/200-index'), { kind: 'rewrite', path: '/index.html', status: 200 });
  assert.deepEqual(matchRedirect(rules, '/posts/2022/06/15/hello'), { kind: 'redirect', location: '/articles/2022/06/15/hello', status: 301 });
  assert.deepEqual(matchRedirect(rules, '/splat/a/b/c.html'), { kind: 'redirect', location: '/redirected-splat/a/b/c.html', status: 301 });
  assert.deepEqual(matchRedirect(rules, '/not-found/x'), { kind: 'rewrite', path: '/404.html', status: 404 });
  assert.deepEqual(matchRedirect(rules, '/gone/x'), { kind: 'rewrite', path: '/410.html', status: 410 });
  assert.deepEqual(matchRedirect(rules, '/some/spa/route'), { kind: 'rewrite', path: '/index.html', status: 200 });
  assert.deepEqual(matchRedirect(rules, '/'), { kind: 'rewrite', path: '/index.html', status: 200 });
});

test('comments, CRLF, external targets, no match', () => {
  const rules = parseRedirects('# moved\r\n/google https://www.google.com 302\r\n\r\n/a /b');
  assert.deepEqual(matchRedirect(rules, '/google'), { kind: 'redirect', location: 'https://www.google.com', status: 302 });
  assert.equal(matchRedirect(rules, '/c'), undefined);
  assert.equal(matchRedirect(rules, '/a/b'), undefined);
});

test('malformed files are errors naming the line', () => {
  assert.throws(() => parseRedirects('/a'), /line 1: expected/);
  assert.throws(() => parseRedirects('/a /b 301 extra'), /too many fields/);
  assert.throws(() => parseRedirects('a /b'), /must be a path/);
  assert.throws(() => parseRedirects('/a ftp://x'), /path or an http/);
  assert.throws(() => parseRedirects('\n/a /b 418'), /line 2: status 418/);
  assert.throws(() => parseRedirects('/a/*/b /c'), /last path segment/);
  assert.throws(() => parseRedirects('/a /b\n'.repeat(20000)), RedirectsFileError);
});
