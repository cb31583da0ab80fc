import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { signAdr036 } from '@trucom/crypto';
import { adr036Authorization } from '@trucom/gateway/adr036-auth';

export interface UploadResult {
  readonly cid: string;
  readonly size: string;
  readonly blocks: number;
  readonly profile: string;
}

export interface LocalFile {
  /** `/`-separated path relative to the uploaded directory. */
  readonly path: string;
  readonly absolute: string;
  readonly size: number;
}

/** Every regular file under `dir`, in path order (symlinks and special files are refused, not followed). */
export async function filesUnder(dir: string): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  async function walk(d: string): Promise<void> {
    for (const entry of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (entry.isFile()) out.push({ path: relative(dir, p).split(sep).join('/'), absolute: p, size: (await stat(p)).size });
      else throw new Error(`${p}: only regular files and directories can be published`);
    }
  }
  if (!(await stat(dir)).isDirectory()) throw new Error(`${dir} is not a directory`);
  await walk(dir);
  if (out.length === 0) throw new Error(`${dir} holds no files`);
  return out;
}

/** The multipart/form-data body of `files`, streamed from disk; `sent` is told each chunk's size. */
function multipartBody(files: readonly LocalFile[], boundary: string, sent: (n: number) => void): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (const f of files) {
      if (/["\r\n]/.test(f.path)) throw new Error(`file name ${JSON.stringify(f.path)} cannot be sent: it holds a quote or a line break`);
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.path}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      for await (const chunk of createReadStream(f.absolute)) {
        sent((chunk as Buffer).length);
        yield chunk as Buffer;
      }
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  })();
}

/** The Authorization header of a gateway upload or stream request: the publisher's ADR-036 signature over `trucom upload <now>`. */
export function uploadAuthorization(privateKey: Uint8Array): string {
  const data = `trucom upload ${Math.floor(Date.now() / 1000)}`;
  const { signer, signature } = signAdr036(privateKey, data);
  return adr036Authorization({ signer, data, ...signature });
}

/**
 * Uploads a directory to a gateway's upload API, signed by the publisher's key (ADR-036 over
 * `trucom upload <time>`); `progress(sent, total)` follows the bytes.
 */
export async function uploadDirectory(gateway: string, files: readonly LocalFile[], privateKey: Uint8Array, progress: (sent: number, total: number) => void, profile?: string): Promise<UploadResult> {
  const total = files.reduce((n, f) => n + f.size, 0);
  let sent = 0;
  const boundary = `trucom-${randomBytes(12).toString('hex')}`;
  const url = new URL('/api/v1/uploads', gateway);
  if (profile) url.searchParams.set('profile', profile);
  const body = multipartBody(files, boundary, (n) => progress((sent += n), total));
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: uploadAuthorization(privateKey) },
      body: ReadableStream.from(body),
      duplex: 'half',
    } as RequestInit);
  } catch (err) {
    throw new Error(`cannot reach gateway ${gateway}: ${((err as Error).cause as Error | undefined)?.message ?? (err as Error).message}`);
  }
  const answer = (await res.json().catch(() => ({}))) as UploadResult & { error?: string };
  if (res.status !== 201) throw new Error(`gateway ${gateway} refused the upload (${res.status}): ${answer.error ?? res.statusText}`);
  return answer;
}
