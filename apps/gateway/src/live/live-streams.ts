import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { keyIdOf } from '../streaming/packager.js';
import { IngestError, LiveSession, type LiveSessionParts } from './live-session.js';

/** ffmpeg PUTs every segment length; this much silence (or 10 segment lengths) means it is gone. */
export const IDLE_END_MIN_MS = 30_000;

/** What the chain says of a content: its owner, deal (0 until a live stream has ended) and key ids. */
export interface ContentRecord {
  readonly owner?: string | null;
  readonly dealId?: number | null;
  readonly keyIds?: string[] | null;
}

export interface LiveStreamsParts extends LiveSessionParts {
  content(id: string): Promise<ContentRecord | undefined>;
  readonly workDir: string;
}

export interface LiveOpenRequest {
  readonly content: string;
  /** The publisher's address, from its verified ADR-036 signature. */
  readonly signer: string;
  readonly segmentS: number;
  readonly rotateEvery: number;
}

/**
 * The live streams this gateway ingests, by content id. A stream key is issued only to the content's
 * owner on chain, for a content still without a deal (registered live) whose keys this gateway can
 * open; it lives in memory, so a gateway restart ends ingest (going live again takes a new content id).
 */
export class LiveStreams {
  private readonly sessions = new Map<string, LiveSession>();

  constructor(private readonly parts: LiveStreamsParts) {}

  get(content: string): LiveSession | undefined {
    return this.sessions.get(content);
  }

  /** A new stream key for `content`, or an IngestError (404 unknown, 403 not the owner, 409 not live-ready). */
  async open(req: LiveOpenRequest): Promise<LiveSession> {
    const { content, signer } = req;
    const record = await this.parts.content(content);
    if (!record) throw new IngestError(404, `content "${content}" is not registered on chain (MsgRegisterContent with deal 0)`);
    if (record.owner !== signer) throw new IngestError(403, `content "${content}" belongs to ${record.owner}, not ${signer}`);
    if (record.dealId) throw new IngestError(409, `content "${content}" is stored under deal ${record.dealId}: only a content registered with deal 0 is live`);
    const keyIds = record.keyIds ?? [];
    if (keyIds.length === 0 || keyIds.some((id, i) => id !== keyIdOf(i))) throw new IngestError(409, `a live content declares key ids k0…k{n-1}, one per rotation period; "${content}" declares ${keyIds.slice(0, 3).join(',')}…`);
    if (!(await this.parts.keys.contentKey(content, keyIdOf(0)))) throw new IngestError(409, `this gateway holds no sealed key k0 of "${content}": seal the content keys to it (MsgSetContentKeys)`);
    const session = new LiveSession(
      { content, owner: signer, streamKey: randomBytes(16).toString('hex'), segmentS: req.segmentS, rotateEvery: req.rotateEvery, keyPeriods: keyIds.length, dir: await this.claimDir(content), idleEndMs: Math.max(IDLE_END_MIN_MS, 10 * req.segmentS * 1000) },
      this.parts,
    );
    this.sessions.set(content, session);
    this.parts.log.info({ content, owner: signer, keyPeriods: keyIds.length, rotateEvery: req.rotateEvery }, 'live stream opened');
    return session;
  }

  /**
   * The content's work directory, created once for good (it survives restarts): a second session would
   * encrypt new segments under the same keys and IVs (media sequence numbers from 0 again).
   */
  private async claimDir(content: string): Promise<string> {
    const dir = join(this.parts.workDir, 'live', content);
    await mkdir(join(this.parts.workDir, 'live'), { recursive: true });
    try {
      await mkdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new IngestError(409, `content "${content}" has been streamed through this gateway already: go live under a new content id`);
      throw err;
    }
    return dir;
  }

  /** The live session `streamKey` opens, or an IngestError: 404 no live session, 403 a wrong stream key. */
  authorize(content: string, streamKey: string): LiveSession {
    const session = this.sessions.get(content);
    if (!session) throw new IngestError(404, `no live stream "${content}" on this gateway: POST /api/v1/live first`);
    const given = Buffer.from(streamKey);
    const expected = Buffer.from(session.options.streamKey);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new IngestError(403, `that stream key does not open "${content}"`);
    return session;
  }
}
