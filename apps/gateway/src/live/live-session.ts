import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CID } from 'multiformats/cid';
import type { Logger } from 'pino';
import { DEFAULT_PROFILE, importDirectory, type BlockStore } from '@trucom/content';
import type { KeyAuthority } from '../keys/key-server.js';
import { frameRate } from '../streaming/ladder.js';
import { keyIdOf } from '../streaming/packager.js';
import { bitrates, masterPlaylist, mediaPlaylist, parseMediaPlaylist, variantCodecs, type EncryptedSegment } from '../streaming/playlists.js';
import { encryptSegment } from '../streaming/segment-cipher.js';
import { filesOf, keyUri } from '../streaming/stream-pipeline.js';
import { InvalidVideoError, probeSegment } from '../streaming/transcoder.js';
import { livePlaylist, segmentFile } from './live-playlist.js';

export interface LiveSessionOptions {
  readonly content: string;
  readonly owner: string;
  readonly streamKey: string;
  readonly segmentS: number;
  readonly rotateEvery: number;
  /** Key ids k0…k{n-1} the content declared on chain: one per rotation period, so the stream's longest run. */
  readonly keyPeriods: number;
  /** The session's own work directory: the VOD directory grows in `<dir>/vod` as segments arrive. */
  readonly dir: string;
  /** A stream whose publisher sent nothing for this long since its last request ended without saying so (ffmpeg killed): it is stored as it stands. */
  readonly idleEndMs: number;
}

export interface LiveSessionParts {
  readonly keys: Pick<KeyAuthority, 'contentKey'>;
  readonly store: Pick<BlockStore, 'put'>;
  stored(root: CID): Promise<void>;
  readonly log: Logger;
}

/** An ingest request refused: its HTTP status and why. */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type LiveState = 'live' | 'packaging' | 'ended' | 'failed';

export interface LiveStatus {
  readonly content: string;
  readonly state: LiveState;
  readonly segments: number;
  readonly durationS: number;
  readonly cid?: string;
  readonly size?: string;
  readonly error?: string;
}

interface Slot extends EncryptedSegment {
  readonly bytes: number;
  /** Known once ffmpeg's playlist lists the segment; it is published (live window, VOD) from then on. */
  durationS: number;
}

const TS_PACKET = 188;
const isMpegTs = (b: Uint8Array) => b.length > 0 && b.length % TS_PACKET === 0 && b[0] === 0x47;

/**
 * One live stream on its ingest gateway. ffmpeg PUTs clear MPEG-TS segments and its playlist; each
 * segment is encrypted the moment it arrives (AES-128, IV = its media sequence number, the key of
 * its rotation period opened from the sealed copy on chain) and only the ciphertext is written. The
 * live playlist is a sliding window over the published segments; when ffmpeg's playlist ends
 * (EXT-X-ENDLIST, DELETE, or silence), the encrypted segments with a VOD playlist and a master playlist are
 * imported as one UnixFS directory, which the publisher then stores under a deal.
 */
export class LiveSession {
  private readonly slots: Slot[] = [];
  /** ffmpeg's segment name → media sequence number, in arrival order. */
  private readonly seqOf = new Map<string, number>();
  /** Every PUT runs in turn: sequence numbers follow arrival and a playlist sees the segments before it. */
  private queue: Promise<unknown> = Promise.resolve();
  private picture: Awaited<ReturnType<typeof probeSegment>> | undefined;
  private rendition = '';
  private longestS = 0;
  private finished: Promise<void> | undefined;
  state: LiveState = 'live';
  private result: { cid: string; size: string } | undefined;
  private error: string | undefined;

  /** Armed by the publisher's first request: until then it may take its time to start ffmpeg. */
  private idle: NodeJS.Timeout | undefined;

  constructor(
    readonly options: LiveSessionOptions,
    private readonly parts: LiveSessionParts,
  ) {}

  private idleTimer(): NodeJS.Timeout {
    const timer = setTimeout(() => {
      if (this.state !== 'live') return;
      this.parts.log.warn({ content: this.options.content, idleMs: this.options.idleEndMs }, 'live stream idle: ending it');
      void this.end();
    }, this.options.idleEndMs);
    return timer.unref();
  }

  putSegment(name: string, clear: Uint8Array): Promise<number> {
    return this.inTurn(async () => {
      this.mustBeLive();
      if (!isMpegTs(clear)) throw new IngestError(400, `segment ${name} is not MPEG-TS (whole ${TS_PACKET}-byte packets starting with 0x47)`);
      const seq = this.seqOf.get(name) ?? this.slots.length;
      const period = Math.floor(seq / this.options.rotateEvery);
      if (period >= this.options.keyPeriods) {
        throw new IngestError(409, `the stream reached its longest run: ${this.options.content} declares ${this.options.keyPeriods} key periods of ${this.options.rotateEvery} segments on chain`);
      }
      if (!this.picture) {
        try {
          this.picture = await probeSegment(clear);
        } catch (err) {
          throw new IngestError(400, `segment ${name}: ${(err as InvalidVideoError).message}`);
        }
        this.rendition = `${this.picture.height}p`;
        await mkdir(join(this.options.dir, 'vod', this.rendition), { recursive: true });
      }
      const keyId = keyIdOf(period);
      const key = await this.parts.keys.contentKey(this.options.content, keyId);
      if (!key) throw new IngestError(503, `this gateway cannot open key ${keyId} of ${this.options.content} from the chain`);
      const encrypted = encryptSegment(clear, key, seq);
      const uri = segmentFile(seq);
      await writeFile(this.segmentPath(uri)!, encrypted);
      this.slots[seq] = { uri, keyId, bytes: encrypted.length, durationS: this.slots[seq]?.durationS ?? 0 };
      this.seqOf.set(name, seq);
      return seq;
    });
  }

  /** ffmpeg's playlist: it dates the segments it lists; with EXT-X-ENDLIST the stream has ended. */
  putPlaylist(text: string): Promise<void> {
    return this.inTurn(async () => {
      this.mustBeLive();
      let listed;
      try {
        listed = parseMediaPlaylist(text);
      } catch (err) {
        throw new IngestError(400, (err as Error).message);
      }
      for (const s of listed) {
        const seq = this.seqOf.get(basename(s.uri));
        if (seq === undefined || !(s.durationS > 0)) continue;
        this.slots[seq]!.durationS = s.durationS;
        this.longestS = Math.max(this.longestS, s.durationS);
      }
      if (/^#EXT-X-ENDLIST\s*$/m.test(text)) void this.end();
    });
  }

  /** Ends the stream (idempotent) and packages it in the background; `status()` tells when it is stored. */
  end(): Promise<void> {
    if (this.state === 'live') this.state = 'packaging';
    this.finished ??= this.inTurn(() => this.store()).then(
      () => undefined,
      (err: Error) => {
        this.state = 'failed';
        this.error = `packaging the ended stream failed: ${err.message}`;
        this.parts.log.warn({ content: this.options.content, err: err.message }, 'live stream packaging failed');
      },
    );
    return this.finished;
  }

  /** The published segments: a prefix of the stream, each dated by ffmpeg's playlist. */
  private published(): Slot[] {
    const end = this.slots.findIndex((s) => !s || s.durationS === 0);
    return end === -1 ? [...this.slots] : this.slots.slice(0, end);
  }

  livePlaylist(): string {
    // the target duration may not change (RFC 8216 §6.2.1): the configured length unless a segment ran longer
    const targetS = Math.max(this.options.segmentS, Math.round(this.longestS));
    return livePlaylist(this.published(), (k) => keyUri(this.options.content, k), { targetS, ended: this.state !== 'live' });
  }

  /** Where encrypted segment `file` is stored, if it is one of this stream's. */
  segmentPath(file: string): string | undefined {
    return this.rendition ? join(this.options.dir, 'vod', this.rendition, file) : undefined;
  }

  status(): LiveStatus {
    const published = this.published();
    return { content: this.options.content, state: this.state, segments: published.length, durationS: published.reduce((t, s) => t + s.durationS, 0), ...this.result, ...(this.error ? { error: this.error } : {}) };
  }

  private mustBeLive(): void {
    if (this.state !== 'live') throw new IngestError(409, `the live stream ${this.options.content} has ended`);
  }

  /** Runs `work` after every earlier request; the publisher counts as silent from the end of its latest one. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    clearTimeout(this.idle);
    const turn = this.queue.then(work);
    this.queue = turn.catch(() => undefined);
    void this.queue.then(() => {
      clearTimeout(this.idle);
      if (this.state === 'live') this.idle = this.idleTimer();
    });
    return turn;
  }

  private async store(): Promise<void> {
    const segments = this.published();
    if (segments.length === 0 || !this.picture) throw new Error('no segment was published');
    const vod = join(this.options.dir, 'vod');
    await writeFile(join(vod, this.rendition, 'index.m3u8'), mediaPlaylist(segments, (k) => keyUri(this.options.content, k)));
    const p = this.picture;
    await writeFile(join(vod, 'master.m3u8'), masterPlaylist([{ uri: `${this.rendition}/index.m3u8`, ...bitrates(segments), width: p.width, height: p.height, codecs: variantCodecs(p, p.hasAudio), frameRate: frameRate(p.fps) }]));
    // segments ffmpeg sent but never listed (cut off by the end) are not part of the stream
    for (const s of this.slots.slice(segments.length)) if (s) await rm(this.segmentPath(s.uri)!, { force: true });
    const imported = await importDirectory(this.parts.store, filesOf(vod), DEFAULT_PROFILE);
    await this.parts.stored(imported.root);
    this.result = { cid: imported.root.toString(), size: imported.size.toString() };
    this.state = 'ended';
    this.parts.log.info({ content: this.options.content, root: this.result.cid, segments: segments.length }, 'live stream stored');
  }
}
