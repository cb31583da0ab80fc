/**
 * Content paths as the IPFS path gateway reads them: `/ipfs/{cid}/{path}` with the path still
 * percent-encoded. Like boxo's path cleaning, empty segments (`a//b`) and `.` are dropped and a final
 * slash is remembered (a directory asked without it gets a redirect); unlike it, `..` is refused rather
 * than resolved, as are segments that decode to something no UnixFS name can hold.
 */
import type { CID } from 'multiformats/cid';
import { parseCid } from './cid.js';
import { InvalidPathError } from './errors.js';

export interface ContentSubpath {
  /** Percent-decoded names, root first, none empty. */
  segments: string[];
  /** The raw path ended with `/`. */
  trailingSlash: boolean;
}

export interface ContentPath extends ContentSubpath {
  root: CID;
}

function decodeSegment(raw: string, whole: string): string {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw new InvalidPathError(`bad percent-encoding in path ${JSON.stringify(whole)}`);
  }
  if (name === '..') throw new InvalidPathError(`".." is not allowed in path ${JSON.stringify(whole)}`);
  if (name.includes('/')) throw new InvalidPathError(`a path segment cannot contain "/" (${JSON.stringify(raw)})`);
  if (name.includes('\0')) throw new InvalidPathError(`a path segment cannot contain NUL (${JSON.stringify(raw)})`);
  return name;
}

/** The segments of a raw (percent-encoded) path below a root, e.g. `/a/b%20c/` → [a, b c], trailing slash. */
export function parseSubpath(rawPath: string): ContentSubpath {
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    if (raw === '' || raw === '.') continue;
    const name = decodeSegment(raw, rawPath);
    if (name !== '.') segments.push(name);
  }
  return { segments, trailingSlash: rawPath.endsWith('/') };
}

/**
 * `/ipfs/{cid}[/{path}]` (or `{cid}[/{path}]`) with the path percent-encoded, as in a request URL
 * without its query. Throws InvalidCidError or InvalidPathError.
 */
export function parseContentPath(rawPath: string): ContentPath {
  const rest = rawPath.startsWith('/ipfs/') ? rawPath.slice('/ipfs/'.length) : rawPath.replace(/^\/+/, '');
  const slash = rest.indexOf('/');
  const cidPart = slash === -1 ? rest : rest.slice(0, slash);
  if (cidPart === '') throw new InvalidPathError(`no CID in path ${JSON.stringify(rawPath)}`);
  const root = parseCid(cidPart);
  const sub = parseSubpath(slash === -1 ? '' : rest.slice(slash));
  return { root, ...sub, trailingSlash: slash !== -1 && rest.endsWith('/') };
}

/** The canonical string `/ipfs/{cid}/{segments…}` with segments percent-encoded (for X-Ipfs-Path, redirects). */
export function formatContentPath(root: CID, segments: readonly string[], trailingSlash = false): string {
  const tail = segments.map((s) => encodeURIComponent(s)).join('/');
  return `/ipfs/${root.toString()}${tail ? '/' + tail : ''}${trailingSlash ? '/' : ''}`;
}
