import type { Connection, Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import { errorMessage } from './logger.js';

/**
 * Wire format: one length-prefixed (unsigned varint) request frame, then one length-prefixed response
 * frame whose first byte is a status: 0 = ok (rest is the payload), 1 = error (rest is a UTF-8 message).
 */
const STATUS_OK = 0;
const STATUS_ERROR = 1;
const MAX_ERROR_CHARS = 512;

export type RequestHandler = (request: Uint8Array, from: string) => Promise<Uint8Array>;

/** The remote handler failed (or refused the request); `message` is what it reported. */
export class RemoteError extends Error {
  override name = 'RemoteError';
}

/** No response arrived within the timeout. */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
}

/** The peer broke the protocol: oversized or malformed frames. */
export class ProtocolViolationError extends Error {
  override name = 'ProtocolViolationError';
}

export interface ServeOptions {
  maxBytes: number;
  /** Deadline for reading the request and writing the response (handler time included). */
  timeoutMs: number;
  /** A peer sent an oversized/malformed request. */
  onViolation(peerId: string, reason: string): void;
  onHandlerError(peerId: string, err: unknown): void;
}

/** Serves one inbound request stream: never throws, always closes or aborts the stream. */
export async function serveRequest(stream: Stream, connection: Connection, handler: RequestHandler, opts: ServeOptions): Promise<void> {
  const from = connection.remotePeer.toString();
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const lp = lpStream(stream, { maxDataLength: opts.maxBytes, maxBufferSize: opts.maxBytes + 16 });
  let request: Uint8Array;
  try {
    request = (await lp.read({ signal })).subarray();
  } catch (err) {
    if (isSizeViolation(err)) opts.onViolation(from, `request too large on ${stream.protocol}`);
    stream.abort(asError(err));
    return;
  }
  let frame: Uint8Array;
  try {
    const response = await handler(request, from);
    if (!(response instanceof Uint8Array)) throw new TypeError('handler did not return a Uint8Array');
    if (response.byteLength > opts.maxBytes) throw new Error(`response too large (${response.byteLength} > ${opts.maxBytes})`);
    frame = withStatus(STATUS_OK, response);
  } catch (err) {
    opts.onHandlerError(from, err);
    frame = withStatus(STATUS_ERROR, new TextEncoder().encode(errorMessage(err).slice(0, MAX_ERROR_CHARS)));
  }
  try {
    await lp.write(frame, { signal });
    await stream.close({ signal });
  } catch (err) {
    stream.abort(asError(err));
  }
}

export interface SendOptions {
  maxBytes: number;
  timeoutMs: number;
}

/** Opens a stream to `peer`, sends one request and returns the one response. */
export async function sendRequest(
  openStream: (signal: AbortSignal) => Promise<Stream>,
  request: Uint8Array,
  opts: SendOptions,
): Promise<Uint8Array> {
  if (request.byteLength > opts.maxBytes) throw new RangeError(`request too large (${request.byteLength} > ${opts.maxBytes})`);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let stream: Stream | undefined;
  try {
    stream = await openStream(signal);
    // +1: the status byte in front of the payload
    const lp = lpStream(stream, { maxDataLength: opts.maxBytes + 1, maxBufferSize: opts.maxBytes + 17 });
    await lp.write(request, { signal });
    const frame = (await lp.read({ signal })).subarray();
    await stream.close({ signal }).catch(() => undefined);
    if (frame.byteLength === 0) throw new ProtocolViolationError('empty response frame');
    const body = frame.subarray(1);
    if (frame[0] === STATUS_OK) return body;
    if (frame[0] === STATUS_ERROR) throw new RemoteError(new TextDecoder().decode(body));
    throw new ProtocolViolationError(`unknown response status ${frame[0]}`);
  } catch (err) {
    const e = signal.aborted ? new RequestTimeoutError(`request timed out after ${opts.timeoutMs} ms`) : isSizeViolation(err) ? new ProtocolViolationError(errorMessage(err)) : asError(err);
    stream?.abort(e);
    throw e;
  }
}

function withStatus(status: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.byteLength + 1);
  out[0] = status;
  out.set(payload, 1);
  return out;
}

function isSizeViolation(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError' || name === 'InvalidMessageLengthError' || name === 'StreamBufferError';
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
