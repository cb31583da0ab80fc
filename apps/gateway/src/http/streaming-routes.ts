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
  /** The live playlist of a content this gateway ingests, until its VOD directory has a deal. */
  livePlaylist(content: string): string | undefined;
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
    const master = root ? `/ipfs/${root}/master.m3u8` : deps.livePlaylist(content);
    if (!master) {
      const e = jsonError(404, `no stream "${content}" is registered on chain (or live on this gateway)`);
      return reply.code(e.status).headers(e.headers).send(e.body);
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(watchPage({ content, master, chainId: await deps.chainId() }));
  });

  const hlsJs = readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'));
  app.get('/assets/hls.min.js', (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(hlsJs));
}
