import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** Where `vite build` writes the browser app (apps/dashboard/web → apps/dashboard/dist/web). */
export const WEB_ROOT = fileURLToPath(new URL('./web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The page's CSP: scripts and styles only from the dashboard itself; the browser talks to the
 * validators' RPC/REST and the gateways (other origins), plays streams from gateways, and frames
 * gateway pages.
 */
export const SPA_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: http: https:; media-src 'self' blob: http: https:; connect-src 'self' http: https: ws: wss:; frame-src http: https:; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const FALLBACK_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trucom dashboard</title></head><body><main><h1>Trucom dashboard</h1><p>The web app is not built yet: run <code>npm run build</code>.</p></main></body></html>`;

/**
 * Serves the built single-page app: a file under the web root when one matches, else index.html so
 * client routes (/deals/7, /wallet…) load the app. Hashed assets are cached for a year.
 */
export function registerSpa(app: FastifyInstance, root = WEB_ROOT): void {
  const indexFile = join(root, 'index.html');
  const index = () => (existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : FALLBACK_PAGE);
  let cached: string | undefined;
  app.get('/*', async (req, reply) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path));
    const headers = { 'x-content-type-options': 'nosniff', 'content-security-policy': SPA_CSP };
    if (file.startsWith(root) && !file.endsWith(sep) && extname(file) && path !== '/index.html') {
      const body = await readFile(file).catch(() => undefined);
      if (body) {
        const immutable = path.startsWith('/assets/');
        return reply
          .headers({ ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' })
          .send(body);
      }
      if (path.startsWith('/assets/')) return reply.code(404).headers(headers).type('text/plain; charset=utf-8').send('not found');
    }
    cached ??= index();
    return reply.headers({ ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).send(cached);
  });
}
