/** Plain HTTP/1.1 requests with full control: raw paths (`..` is sent as is), any Host header, HEAD. */
import { request, type IncomingHttpHeaders } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  text(): string;
  /** The body parsed as JSON (throws with the status and text when it is not JSON). */
  json<T = any>(): T;
}

export interface HttpOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array | string;
  readonly timeoutMs?: number;
}

/**
 * One request to `http://127.0.0.1:{port}{path}`, the path sent byte for byte (no normalization),
 * on a connection of its own. Rejects on a network error or after `timeoutMs`.
 */
export function httpRequest(port: number, path: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text: () => body.toString('utf8'),
          json: () => {
            try {
              return JSON.parse(body.toString('utf8'));
            } catch {
              throw new Error(`${options.method ?? 'GET'} ${path}: HTTP ${res.statusCode}, not JSON: ${body.toString('utf8').slice(0, 200)}`);
            }
          },
        });
      });
    });
    req.setTimeout(options.timeoutMs ?? 15_000, () => req.destroy(new Error(`${options.method ?? 'GET'} 127.0.0.1:${port}${path} took more than ${options.timeoutMs ?? 15_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** GET (or HEAD) of a site path on a gateway: the request names the site by `Host: {name}.sites.localhost:{port}`. */
export function siteRequest(port: number, name: string, path: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  return httpRequest(port, path, { ...options, headers: { host: `${name}.sites.localhost:${port}`, ...options.headers } });
}

/** True when every port answers `GET /health` with 200. */
export async function allHealthy(ports: readonly number[]): Promise<boolean> {
  for (const port of ports) {
    try {
      if ((await httpRequest(port, '/health', { timeoutMs: 3_000 })).status !== 200) return false;
    } catch {
      return false;
    }
  }
  return true;
}
