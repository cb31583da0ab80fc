import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { BlockStore, ImportedContent } from '@trucom/content';
import { publishStream, streamSettings, type PublishedStream } from '../streaming/stream-pipeline.js';
import { InvalidVideoError } from '../streaming/transcoder.js';
import { authenticateUpload } from '../auth/adr036-auth.js';

export const STREAMS_PATH = '/api/v1/streams';
export const CONTENT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export interface StreamRouteDeps {
  readonly store: Pick<BlockStore, 'put'>;
  readonly stored: (content: ImportedContent) => Promise<void>;
  readonly workDir: string;
  readonly maxBytes: number;
  readonly log: Logger;
}

/**
 * `POST /api/v1/streams?content=<id>[&segment=4][&rotate=3]` with the video as the body (any video
 * container ffmpeg reads), authenticated like uploads. The answer streams NDJSON progress lines
 * (`{"stage","percent"}`) and ends with `{"stage":"done",cid,content,keys:[{id,key}],…}` — the clear
 * content keys go to the publisher only, who seals them on chain for the key-holder gateways — or
 * `{"stage":"error","error"}`. One transcode runs at a time per gateway.
 */
export function registerStreamRoute(app: FastifyInstance, deps: StreamRouteDeps): void {
  let queue: Promise<unknown> = Promise.resolve();
  app.addContentTypeParser(/^(application\/octet-stream|video\/.+)$/, (_req, payload, done) => done(null, payload));
  app.post(STREAMS_PATH, async (req: FastifyRequest, reply: FastifyReply) => {
    const who = authenticateUpload(req.headers.authorization, Math.floor(Date.now() / 1000));
    if ('problem' in who) return reply.code(401).send({ error: who.problem });
    const q = req.query as Record<string, string | undefined>;
    const content = q.content ?? '';
    if (!CONTENT_ID.test(content)) return reply.code(400).send({ error: 'content must be an id of lower-case letters, digits and "-" (1-64 characters): key URIs are /keys/{content}/{keyId}' });
    const settings = streamSettings(q);
    if ('problem' in settings) return reply.code(400).send({ error: settings.problem });
    const { segmentS, rotateEvery } = settings;
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (type !== 'application/octet-stream' && !type.startsWith('video/')) return reply.code(415).send({ error: `send the video as video/* or application/octet-stream, not ${type || 'no content type'}` });

    const work = await mkdtemp(join(deps.workDir, 'stream-'));
    const input = join(work, 'source');
    try {
      let received = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          received += chunk.length;
          cb(received > deps.maxBytes ? new Error('too large') : null, chunk);
        },
      });
      await pipeline(req.body as NodeJS.ReadableStream, limit, createWriteStream(input));
    } catch (err) {
      await rm(work, { recursive: true, force: true });
      if ((err as Error).message === 'too large') return reply.code(413).send({ error: `the video exceeds this gateway's limit of ${deps.maxBytes} bytes` });
      throw err;
    }

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
    const line = (o: object) => res.write(`${JSON.stringify(o)}\n`);
    let last = '';
    const turn = queue.then(() =>
      publishStream(input, work, deps.store, { content, segmentS, rotateEvery }, (stage, fraction) => {
        const shown = `${stage}:${Math.floor(fraction * 100)}`;
        if (shown !== last) line({ stage, percent: Math.floor(fraction * 100) });
        last = shown;
      }),
    );
    queue = turn.catch(() => undefined);
    try {
      const s: PublishedStream = await turn;
      await deps.stored(s);
      deps.log.info({ uploader: who.signer, content, root: s.root.toString(), segments: s.segments, renditions: s.renditions }, 'stream packaged');
      line({ stage: 'done', cid: s.root.toString(), content, size: s.size.toString(), segments: s.segments, duration: s.durationS, renditions: s.renditions, keys: s.keys.map((k) => ({ id: k.id, key: k.key.toString('hex') })) });
    } catch (err) {
      const message = err instanceof InvalidVideoError ? err.message : `packaging failed: ${(err as Error).message}`;
      deps.log.warn({ content, err: (err as Error).message }, 'stream packaging failed');
      line({ stage: 'error', error: message });
    } finally {
      res.end();
    }
  });
}
