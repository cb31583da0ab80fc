import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Logger } from 'pino';
import { ContentError, DEFAULT_PROFILE, importCar, importDirectory, profileByName, UnknownProfileError, type BlockStore, type CidProfile, type ImportFileEntry, type ImportedContent } from '@trucom/content';
import { authenticateUpload } from '../auth/adr036-auth.js';

export const UPLOAD_PATH = '/api/v1/uploads';
const CAR_TYPE = 'application/vnd.ipld.car';

export interface UploadDeps {
  readonly store: BlockStore;
  /** Called once the whole DAG is stored: from then on it is served and replicated. */
  readonly stored: (content: ImportedContent) => Promise<void>;
  readonly maxBytes: number;
  readonly log: Logger;
}

class UploadTooLargeError extends Error {}

/**
 * `POST /api/v1/uploads[?profile=…]`: a directory as multipart/form-data (each file part named by its
 * relative path) or a CAR (`Content-Type: application/vnd.ipld.car`), authenticated by the publisher's
 * ADR-036 signature. Bytes stream through the importer to disk; nothing is buffered whole.
 */
export async function registerUploadRoute(app: FastifyInstance, deps: UploadDeps): Promise<void> {
  // preservePath: a part's filename is its path in the directory (busboy keeps only the basename otherwise).
  await app.register(multipart, { preservePath: true, limits: { fileSize: deps.maxBytes, files: 100_000, fieldSize: 1024, parts: 100_001 } });
  app.addContentTypeParser(CAR_TYPE, (_req, payload, done) => done(null, payload));
  app.post(UPLOAD_PATH, (req, reply) => upload(req, reply, deps));
}

async function upload(req: FastifyRequest, reply: FastifyReply, deps: UploadDeps): Promise<unknown> {
  const who = authenticateUpload(req.headers.authorization, Math.floor(Date.now() / 1000));
  if ('problem' in who) return reply.code(401).send({ error: who.problem });
  let profile: CidProfile;
  try {
    const name = (req.query as Record<string, string | undefined>).profile;
    profile = name ? profileByName(name) : DEFAULT_PROFILE;
  } catch (err) {
    if (err instanceof UnknownProfileError) return reply.code(400).send({ error: err.message });
    throw err;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const tooLarge = `the upload exceeds this gateway's limit of ${deps.maxBytes} bytes`;
  let budget = deps.maxBytes;
  // Remembered here, not only thrown: the importers wrap errors from their input stream (a CAR over
  // the limit would surface as a malformed CAR), and the answer must still be 413.
  let overLimit = false;
  const limit = (n: number) => {
    budget -= n;
    if (budget < 0) {
      overLimit = true;
      throw new UploadTooLargeError(tooLarge);
    }
  };
  try {
    let content: ImportedContent;
    if (type === 'multipart/form-data') {
      content = await importDirectory(deps.store, fileParts(req, limit), profile);
    } else if (type === CAR_TYPE) {
      content = await importCar(deps.store, counted(req.body as AsyncIterable<Uint8Array>, limit));
    } else {
      return reply.code(415).send({ error: `send a directory as multipart/form-data or a DAG as ${CAR_TYPE}, not ${type || 'no content type'}` });
    }
    await deps.stored(content);
    deps.log.info({ uploader: who.signer, root: content.root.toString(), bytes: content.size.toString(), blocks: content.blocks }, 'upload stored');
    return reply.code(201).send({ cid: content.root.toString(), size: content.size.toString(), blocks: content.blocks, profile: profile.name, uploader: who.signer });
  } catch (err) {
    if (overLimit || err instanceof UploadTooLargeError) return reply.code(413).send({ error: tooLarge });
    const code = (err as { code?: string }).code;
    // multipart's own per-file limit (the same number) cuts a file at the limit before our count sees more
    if (code === 'FST_REQ_FILE_TOO_LARGE') return reply.code(413).send({ error: tooLarge });
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') return reply.code(413).send({ error: (err as Error).message });
    if (err instanceof ContentError || code?.startsWith('FST_')) return reply.code(400).send({ error: (err as Error).message });
    throw err;
  }
}

async function* fileParts(req: FastifyRequest, limit: (n: number) => void): AsyncGenerator<ImportFileEntry> {
  for await (const part of req.parts()) {
    if (part.type !== 'file') continue;
    yield { path: part.filename, content: counted(part.file, limit) };
  }
}

async function* counted(chunks: AsyncIterable<Uint8Array>, limit: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    limit(chunk.length);
    yield chunk;
  }
}
