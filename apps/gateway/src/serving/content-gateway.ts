import type { CID } from 'multiformats/cid';
import {
  BlockCache,
  ContentError,
  InvalidCidError,
  InvalidPathError,
  Lru,
  NotFoundError,
  directoryEntries,
  exportCar,
  exportEntry,
  fileBytes,
  fileContent,
  MissingBlockError,
  UnsupportedCidError,
  formatContentPath,
  parseCid,
  parseSubpath,
  resolvePath,
  type BlockStore,
  type Resolved,
  type ResolvedDirectory,
  type ResolvedFile,
} from '@trucom/content';
import { contentTypeFor } from './content-type.js';
import { directoryListing } from './directory-listing.js';
import { negotiateFormat, type ResponseFormat } from './format.js';
import { originOf } from './origin.js';
import { parseRange } from './range.js';
import { MAX_REDIRECTS_FILE_BYTES, matchRedirect, parseRedirects, RedirectsFileError } from './redirects.js';
import { CORS_HEADERS, IMMUTABLE, jsonError, redirect, type GatewayResponse } from './responses.js';

/** Whether serving a root is paid for, from the chain's deals. */
export type PaymentVerdict =
  | { readonly kind: 'paid'; readonly dealId: string }
  /** 402: a deal exists but is not active, or the content is held with no deal at all. */
  | { readonly kind: 'unpaid'; readonly dealId?: string; readonly reason: string }
  /** Neither a deal nor local content names it: 404. */
  | { readonly kind: 'unknown' };

export interface GatewayContent {
  readonly blocks: Pick<BlockStore, 'get'>;
  /** The payment verdict for a root CID (or a CID inside a DAG this gateway holds). */
  verdict(cid: CID): Promise<PaymentVerdict>;
  /** The root a site name points to on chain, or undefined when no such site is registered. */
  siteRoot(name: string): Promise<{ root: CID } | undefined>;
  /** Makes the whole DAG under a paid root local, fetched and verified from its replicas; false when none had it. */
  ensureLocal(root: CID): Promise<boolean>;
  /** Whether the whole DAG under a root is here (what a replica asking `only-if-cached` needs). */
  holds(root: CID): boolean;
}

export interface GatewayRequest {
  readonly method: 'GET' | 'HEAD';
  readonly host?: string;
  /** Path and query as sent (percent-encoded). */
  readonly url: string;
  readonly headers: { readonly accept?: string; readonly range?: string; readonly 'if-none-match'?: string; readonly 'cache-control'?: string };
}

/** Files up to this size are answered from one buffer (whole or a range); larger ones are streamed. */
const INLINE_FILE_BYTES = 1024 * 1024;

/**
 * The IPFS HTTP gateway (path gateway, trustless gateway, and one origin per site) over paid content:
 * a pure mapping from a request to a response, with content access behind `GatewayContent`.
 *
 * Content is immutable under its root CID, so what a path resolves to, a file's content type and
 * the blocks themselves are remembered in bounded LRUs; the payment verdict is asked for on every
 * request (the chain view caches it briefly itself).
 */
export class ContentGateway {
  private readonly blocks: BlockCache;
  /** `[root, ...segments]` → what they resolve to (rejections are not kept). */
  private readonly resolutions = new Lru<Promise<Resolved>>(4096);
  /** `cid/name` → Content-Type. */
  private readonly types = new Lru<string>(4096);
  /** CID text as requested → CID (failures are not kept). */
  private readonly cids = new Lru<CID>(4096);

  constructor(private readonly content: GatewayContent) {
    this.blocks = new BlockCache(content.blocks);
  }

  private parseCid(text: string): CID {
    const known = this.cids.get(text);
    if (known) return known;
    const cid = parseCid(text);
    this.cids.set(text, cid);
    return cid;
  }

  /** resolvePath over the block cache, remembered. */
  private resolve(root: CID, segments: readonly string[]): Promise<Resolved> {
    const key = JSON.stringify([root.toString(), ...segments]);
    const hit = this.resolutions.get(key);
    if (hit) return hit;
    const resolved = resolvePath(this.blocks, root, segments).then((r) => detached(this.blocks, r));
    this.resolutions.set(key, resolved);
    resolved.catch(() => this.resolutions.delete(key));
    return resolved;
  }

  async handle(req: GatewayRequest): Promise<GatewayResponse> {
    try {
      const { pathname, search } = splitUrl(req.url);
      const origin = originOf(req.host);
      if (origin.kind === 'site') return await this.serveSite(req, origin.name, pathname, search);
      if (!pathname.startsWith('/ipfs/')) return jsonError(404, `no route for ${pathname}: content lives under /ipfs/{cid}/ or at {site}.sites.localhost`);
      return await this.servePath(req, pathname, search);
    } catch (err) {
      if (err instanceof InvalidCidError || err instanceof InvalidPathError || err instanceof UnsupportedCidError) return jsonError(400, err.message);
      if (err instanceof RedirectsFileError) return jsonError(500, err.message);
      if (err instanceof MissingBlockError) return jsonError(502, `content is incomplete on this gateway and its replicas: ${err.message}`);
      throw err;
    }
  }

  private async servePath(req: GatewayRequest, pathname: string, search: string): Promise<GatewayResponse> {
    const rest = pathname.slice('/ipfs/'.length);
    const slash = rest.indexOf('/');
    const cidText = slash === -1 ? rest : rest.slice(0, slash);
    if (cidText === '') return jsonError(400, 'no CID in path: use /ipfs/{cid}/{path}');
    const root = this.parseCid(cidText);
    const sub = parseSubpath(slash === -1 ? '' : rest.slice(slash));
    const format = negotiateFormat(new URLSearchParams(search), req.headers.accept);
    if (format.kind === 'unsupported') return jsonError(400, format.reason);
    const paid = await this.paidRoot(root, req.headers['cache-control']);
    if ('status' in paid) return paid;
    const base = { ...CORS_HEADERS, 'x-ipfs-path': pathname };
    const dealId = paid.dealId;
    if (format.kind !== 'unixfs') return this.serveVerifiable(req, root, sub.segments, format, base, dealId);

    const resolved = await this.resolve(root, sub.segments);
    if (resolved.kind === 'not-found') return jsonError(404, `no "${resolved.missing}" under ${resolved.roots.at(-1)!.toString()}`, { path: pathname });
    const headers = { ...base, 'x-ipfs-roots': resolved.roots.map(String).join(',') };
    if (resolved.kind === 'directory') {
      if (!sub.trailingSlash) return redirect(301, `${pathname}/${search}`, headers);
      if (resolved.indexHtml) return this.serveIndex(req, resolved, headers, dealId);
      return this.serveListing(req, resolved, pathname, headers, dealId);
    }
    return this.serveFile(req, resolved, sub.segments.at(-1) ?? root.toString(), headers, dealId);
  }

  private async serveSite(req: GatewayRequest, name: string, pathname: string, search: string): Promise<GatewayResponse> {
    const site = await this.content.siteRoot(name);
    if (!site) return jsonError(404, `no site named "${name}" is registered on chain`);
    // A malformed path is 400 whatever the deal's state (as on /ipfs/): checked before payment.
    const sub = parseSubpath(pathname);
    const paid = await this.paidRoot(site.root, req.headers['cache-control']);
    if ('status' in paid) return paid;
    const resolved = await this.resolve(site.root, sub.segments);
    const headers = { ...CORS_HEADERS, 'x-ipfs-path': formatContentPath(site.root, sub.segments, sub.trailingSlash) };
    if (resolved.kind === 'not-found') return this.serveRedirects(req, site.root, pathname, search, paid.dealId);
    const withRoots = { ...headers, 'x-ipfs-roots': resolved.roots.map(String).join(',') };
    if (resolved.kind === 'directory') {
      if (!sub.trailingSlash) return redirect(301, `${pathname}/${search}`, withRoots);
      if (resolved.indexHtml) return this.serveIndex(req, resolved, withRoots, paid.dealId);
      return this.serveListing(req, resolved, pathname, withRoots, paid.dealId);
    }
    return this.serveFile(req, resolved, sub.segments.at(-1)!, withRoots, paid.dealId);
  }

  /** A site path absent from the DAG: the site's `_redirects` rules, else 404. */
  private async serveRedirects(req: GatewayRequest, root: CID, pathname: string, search: string, dealId: string): Promise<GatewayResponse> {
    const file = await this.resolve(root, ['_redirects']);
    const notFound = jsonError(404, `${pathname} is not part of this site`);
    if (file.kind !== 'file') return notFound;
    if (file.size > BigInt(MAX_REDIRECTS_FILE_BYTES)) throw new RedirectsFileError(`_redirects is larger than ${MAX_REDIRECTS_FILE_BYTES} bytes`);
    const text = new TextDecoder().decode(await collect(file.content(), Number(file.size)));
    const outcome = matchRedirect(parseRedirects(text), safeDecode(pathname));
    if (!outcome) return notFound;
    if (outcome.kind === 'redirect') return redirect(outcome.status, outcome.location + (outcome.location.includes('?') ? '' : search));
    const target = parseSubpath(outcome.path);
    const resolved = await this.resolve(root, target.segments);
    if (resolved.kind === 'not-found') return jsonError(404, `_redirects sends ${pathname} to ${outcome.path}, which does not exist`);
    const headers = { ...CORS_HEADERS, 'x-ipfs-path': formatContentPath(root, target.segments), 'x-ipfs-roots': resolved.roots.map(String).join(',') };
    const served = resolved.kind === 'directory' ? (resolved.indexHtml ? await this.serveIndex(req, resolved, headers, dealId) : notFound) : await this.serveFile(req, resolved, target.segments.at(-1)!, headers, dealId);
    return served.status === 200 ? { ...served, status: outcome.status } : served;
  }

  /**
   * The verdict on a root, and its blocks made local: 402 when unpaid, 404 when unknown. With
   * `Cache-Control: only-if-cached` (how replicas ask each other) nothing is fetched: 412 on a miss.
   */
  private async paidRoot(root: CID, cacheControl: string | undefined): Promise<{ dealId: string } | GatewayResponse> {
    const verdict = await this.content.verdict(root);
    if (verdict.kind === 'unknown') return jsonError(404, `${root.toString()} is not stored on this network`, { cid: root.toString() });
    if (verdict.kind === 'unpaid') {
      return jsonError(402, `payment required: ${verdict.reason}`, { cid: root.toString(), ...(verdict.dealId !== undefined ? { deal: verdict.dealId } : {}), reason: verdict.reason });
    }
    if (/\bonly-if-cached\b/i.test(cacheControl ?? '')) {
      if (!this.content.holds(root)) return jsonError(412, `${root.toString()} is not held by this gateway`);
    } else if (!(await this.content.ensureLocal(root))) {
      return jsonError(504, `no replica of ${root.toString()} answered; try again shortly`);
    }
    return { dealId: verdict.dealId };
  }

  private async serveVerifiable(req: GatewayRequest, root: CID, segments: string[], format: Exclude<ResponseFormat, { kind: 'unixfs' | 'unsupported' }>, base: Record<string, string>, dealId: string): Promise<GatewayResponse> {
    if (format.kind === 'raw') {
      const resolved = await this.resolve(root, segments);
      if (resolved.kind === 'not-found') return jsonError(404, `no "${resolved.missing}" under ${resolved.roots.at(-1)!.toString()}`);
      const etag = `"${resolved.cid.toString()}.raw"`;
      if (matchesEtag(req.headers['if-none-match'], etag)) return { status: 304, headers: { ...base, etag } };
      const bytes = await this.blocks.getBytes(resolved.cid);
      return {
        status: 200,
        headers: { ...base, etag, 'x-ipfs-roots': resolved.roots.map(String).join(','), 'content-type': 'application/vnd.ipld.raw', 'content-length': String(bytes.length), 'cache-control': IMMUTABLE, 'content-disposition': `attachment; filename="${resolved.cid.toString()}.bin"`, 'x-content-type-options': 'nosniff', vary: 'Accept' },
        body: req.method === 'HEAD' ? undefined : bytes,
        dealId,
      };
    }
    const etag = `W/"${root.toString()}.car.${format.scope}"`;
    if (matchesEtag(req.headers['if-none-match'], etag)) return { status: 304, headers: { ...base, etag } };
    let car: AsyncIterable<Uint8Array>;
    try {
      car = await exportCar(this.content.blocks, root, segments, format.scope);
    } catch (err) {
      if (err instanceof NotFoundError) return jsonError(404, err.message);
      throw err;
    }
    return {
      status: 200,
      headers: { ...base, etag, 'content-type': 'application/vnd.ipld.car; version=1', 'cache-control': IMMUTABLE, 'content-disposition': `attachment; filename="${root.toString()}.car"`, 'x-content-type-options': 'nosniff', vary: 'Accept' },
      body: req.method === 'HEAD' ? undefined : car,
      dealId,
    };
  }

  private async serveIndex(req: GatewayRequest, dir: ResolvedDirectory, headers: Record<string, string>, dealId: string): Promise<GatewayResponse> {
    const index = await this.resolve(dir.cid, ['index.html']);
    if (index.kind !== 'file') return jsonError(404, 'index.html is not a file');
    return this.serveFile(req, index, 'index.html', headers, dealId);
  }

  private async serveListing(req: GatewayRequest, dir: ResolvedDirectory, pathname: string, headers: Record<string, string>, dealId: string): Promise<GatewayResponse> {
    const etag = `"DirIndex-trucom1_CID-${dir.cid.toString()}"`;
    if (matchesEtag(req.headers['if-none-match'], etag)) return { status: 304, headers: { ...headers, etag } };
    const html = await directoryListing(pathname, dir);
    return { status: 200, headers: { ...headers, etag, 'content-type': 'text/html; charset=utf-8', 'cache-control': IMMUTABLE }, body: req.method === 'HEAD' ? undefined : html, dealId };
  }

  private async serveFile(req: GatewayRequest, file: ResolvedFile, name: string, headers: Record<string, string>, dealId: string): Promise<GatewayResponse> {
    const size = Number(file.size);
    const etag = `"${file.cid.toString()}"`;
    const common = { ...headers, etag, 'cache-control': IMMUTABLE, 'accept-ranges': 'bytes' };
    if (matchesEtag(req.headers['if-none-match'], etag)) return { status: 304, headers: common };
    const inline = size <= INLINE_FILE_BYTES;
    const bytes = inline && (req.method === 'GET' || !this.types.get(typeKey(file, name))) ? await this.fileBytes(file, size) : undefined;
    const type = await this.typeOf(file, name, bytes);
    const range = parseRange(req.headers.range, size);
    if (range.kind === 'unsatisfiable') return { status: 416, headers: { ...common, 'content-range': `bytes */${size}` } };
    if (range.kind === 'partial') {
      const length = range.end - range.start + 1;
      return {
        status: 206,
        headers: { ...common, etag: `"${file.cid.toString()}.${range.start}-${range.end}"`, 'content-type': type, 'content-length': String(length), 'content-range': `bytes ${range.start}-${range.end}/${size}` },
        body: req.method === 'HEAD' ? undefined : bytes ? bytes.subarray(range.start, range.end + 1) : file.content(BigInt(range.start), BigInt(length)),
        dealId,
      };
    }
    const body = req.method === 'HEAD' ? undefined : (bytes ?? file.content());
    return { status: 200, headers: { ...common, 'content-type': type, 'content-length': String(size) }, body, dealId };
  }

  /** A small file's bytes from the block cache: a single raw block as it is, else its blocks joined. */
  private fileBytes(file: ResolvedFile, size: number): Promise<Uint8Array> {
    return fileBytes(this.blocks, file.cid, size);
  }

  /** Content-Type from the name, else the first 512 bytes; remembered per CID and name. */
  private async typeOf(file: ResolvedFile, name: string, bytes: Uint8Array | undefined): Promise<string> {
    const key = typeKey(file, name);
    const known = this.types.get(key);
    if (known) return known;
    const type = contentTypeFor(name, bytes ? bytes.subarray(0, 512) : await collect(file.content(0n, 512n), 512));
    this.types.set(key, type);
    return type;
  }
}

/**
 * A resolution without the exporter's entry, which may hold a whole block (a raw file's bytes, a large
 * directory node): what the resolution cache keeps stays small. Content and listings open the entry
 * again when asked (its root block then comes from the block cache).
 */
function detached(blocks: BlockCache, r: Resolved): Resolved {
  if (r.kind === 'file') {
    const { cid, size } = r;
    return { kind: 'file', cid, roots: r.roots, size, content: (offset, length) => fileContent(blocks, cid, size, offset, length) };
  }
  if (r.kind === 'directory') {
    const { cid } = r;
    return { kind: 'directory', cid, roots: r.roots, indexHtml: r.indexHtml, entries: () => entriesOf(blocks, cid) };
  }
  return r;
}

async function* entriesOf(blocks: BlockCache, cid: CID) {
  const entry = await exportEntry(blocks, cid);
  if (entry.type !== 'directory') throw new ContentError(`${cid.toString()} is not a directory`);
  yield* directoryEntries(entry);
}

const typeKey = (file: ResolvedFile, name: string) => `${file.cid.toString()}/${name}`;

function splitUrl(url: string): { pathname: string; search: string } {
  const q = url.indexOf('?');
  return q === -1 ? { pathname: url, search: '' } : { pathname: url.slice(0, q), search: url.slice(q) };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new InvalidPathError(`bad percent-encoding in path ${JSON.stringify(path)}`);
  }
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

async function collect(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const c of chunks) {
    parts.push(c);
    length += c.length;
    if (length >= limit) break;
  }
  const joined = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
  return new Uint8Array(joined.buffer, joined.byteOffset, Math.min(length, limit)); // a view, not a copy
}
