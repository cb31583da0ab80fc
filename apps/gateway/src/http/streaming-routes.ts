import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { serveKey, type KeyAuthority } from '../keys/key-server.js';
import { jsonError } from '../serving/responses.js';
import { watchPage } from '../watch/watch-page.js';

export interface StreamingRouteDeps {
  readonly keys: KeyAuthority;
  /** The root CID of a registered content (its deal's CID), or undefined. */
  contentRoot(content: string): Promise<string | undefined>;
  chainId(): Promise<string>;
}

/** Key requests, the watch page and the hls.js script it loads. */
export function registerStreamingRoutes(app: FastifyInstance, deps: StreamingRouteDeps): void {
  app.get('/keys/:content/:keyId', async (req, reply) => {
    const { content, keyId } = req.params as { content: string; keyId: string };
    const res = await serveKey(deps.keys, content, keyId, req.headers.authorization, Math.floor(Date.now() / 1000));
    return reply.code(res.status).headers(res.headers).send(res.body);
  });

  app.get('/watch/:content', async (req, reply) => {
    const { content } = req.params as { content: string };
    const root = /^[a-z0-9-]{1,64}$/.test(content) ? await deps.contentRoot(content) : undefined;
    if (!root) {
      const e = jsonError(404, `no stream "${content}" is registered on chain`);
      return reply.code(e.status).headers(e.headers).send(e.body);
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(watchPage({ content, master: `/ipfs/${root}/master.m3u8`, chainId: await deps.chainId() }));
  });

  const hlsJs = readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'));
  app.get('/assets/hls.min.js', (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(hlsJs));
}
