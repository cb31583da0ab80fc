import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import { authenticateUpload } from '../auth/adr036-auth.js';
import { CORS_HEADERS, jsonError } from '../serving/responses.js';
import { streamSettings } from '../streaming/stream-pipeline.js';
import { CONTENT_ID } from '../upload/stream-route.js';
import { ingestFile, segmentSeq } from './live-playlist.js';
import { IngestError } from './live-session.js';
import type { LiveStreams } from './live-streams.js';

export const LIVE_API = '/api/v1/live';
/** A 2-10 s segment of a 1080p stream is a few MB; anything this big is not a live segment. */
export const MAX_SEGMENT_BYTES = 32 * 1024 * 1024;
const MAX_PLAYLIST_BYTES = 1024 * 1024;

function send(reply: FastifyReply, status: number, message: string) {
  const e = jsonError(status, message);
  return reply.code(e.status).headers(e.headers).send(e.body);
}

/** The whole body, or IngestError 413 once it passes `limit` (the rest is drained, never kept). */
async function readBody(body: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw new IngestError(413, `${size} bytes exceed this gateway's limit of ${limit} for one ingest file`);
  return Buffer.concat(chunks);
}

/**
 * Live HLS. `POST /api/v1/live?content=&segment=&rotate=` (ADR-036 signed like uploads, by the
 * content's owner) answers a stream key and the ingest URL; ffmpeg PUTs `<ingest>/index.m3u8` and
 * its segments (`-f hls -method PUT`); viewers play `/live/{content}/index.m3u8` with keys from the
 * key server; `GET /api/v1/live/{content}` tells the state and, once stored, the VOD directory's CID.
 */
export async function registerLiveRoutes(app: FastifyInstance, live: LiveStreams, registry: Registry): Promise<void> {
  const ingested = new Counter({ name: 'gateway_live_ingest_requests_total', help: 'Live ingest PUTs by HTTP status', labelNames: ['status'] as const, registers: [registry] });

  app.post(LIVE_API, async (req, reply) => {
    const who = authenticateUpload(req.headers.authorization, Math.floor(Date.now() / 1000));
    if ('problem' in who) return send(reply, 401, who.problem);
    const q = req.query as Record<string, string | undefined>;
    const content = q.content ?? '';
    if (!CONTENT_ID.test(content)) return send(reply, 400, 'content must be an id of lower-case letters, digits and "-" (1-64 characters)');
    const settings = streamSettings(q);
    if ('problem' in settings) return send(reply, 400, settings.problem);
    try {
      const session = await live.open({ content, signer: who.signer, ...settings });
      const base = `${req.protocol}://${req.host}`;
      return reply.code(201).headers(CORS_HEADERS).send({
        content,
        ingest: `${base}/live/${content}/${session.options.streamKey}/index.m3u8`,
        playlist: `${base}/live/${content}/index.m3u8`,
        watch: `${base}/watch/${content}`,
        keyPeriods: session.options.keyPeriods,
      });
    } catch (err) {
      if (err instanceof IngestError) return send(reply, err.status, err.message);
      throw err;
    }
  });

  app.get(`${LIVE_API}/:content`, async (req, reply) => {
    const session = live.get((req.params as { content: string }).content);
    if (!session) return send(reply, 404, 'no live stream of that content on this gateway');
    return reply.headers({ ...CORS_HEADERS, 'cache-control': 'no-store' }).send(session.status());
  });

  app.get('/live/:content/index.m3u8', async (req, reply) => {
    const session = live.get((req.params as { content: string }).content);
    if (!session) return send(reply, 404, 'no live stream of that content on this gateway');
    return reply.headers({ ...CORS_HEADERS, 'content-type': 'application/vnd.apple.mpegurl', 'cache-control': 'no-cache' }).send(session.livePlaylist());
  });

  app.get('/live/:content/:file', async (req, reply) => {
    const { content, file } = req.params as { content: string; file: string };
    const path = segmentSeq(file) === undefined ? undefined : live.get(content)?.segmentPath(file);
    const bytes = path && (await readFile(path).catch(() => undefined));
    if (!bytes) return send(reply, 404, `no segment ${file} in live stream ${content}`);
    return reply.headers({ ...CORS_HEADERS, 'content-type': 'video/mp2t', 'cache-control': 'public, max-age=60' }).send(bytes);
  });

  // ffmpeg sends segments with whatever content type it likes: this scope takes every body as bytes
  await app.register(async (ingest) => {
    ingest.removeAllContentTypeParsers();
    ingest.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    ingest.put('/live/:content/:streamKey/:file', async (req, reply) => {
      const { content, streamKey, file } = req.params as { content: string; streamKey: string; file: string };
      try {
        const session = live.authorize(content, streamKey);
        const target = ingestFile(file);
        if ('problem' in target) throw new IngestError(400, target.problem);
        const body = (req.body ?? []) as AsyncIterable<Buffer>;
        if (target.kind === 'playlist') await session.putPlaylist((await readBody(body, MAX_PLAYLIST_BYTES)).toString('utf8'));
        else await session.putSegment(target.name, await readBody(body, MAX_SEGMENT_BYTES));
        ingested.inc({ status: '204' });
        return reply.code(204).send();
      } catch (err) {
        if (!(err instanceof IngestError)) throw err;
        ingested.inc({ status: String(err.status) });
        return send(reply, err.status, err.message);
      }
    });

    ingest.delete('/live/:content/:streamKey', async (req, reply) => {
      const { content, streamKey } = req.params as { content: string; streamKey: string };
      try {
        const session = live.authorize(content, streamKey);
        void session.end();
        return reply.code(202).headers(CORS_HEADERS).send(session.status());
      } catch (err) {
        if (err instanceof IngestError) return send(reply, err.status, err.message);
        throw err;
      }
    });
  });
}
