/** Helpers for the command-line flags every service entry point takes. */

/** A TCP port from a flag or an environment variable; 0 means "any free port". */
export function parsePort(value: string, source: string): number {
  const port = /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port > 65535) throw new Error(`${source}: expected a port number 0-65535, got ${JSON.stringify(value)}`);
  return port;
}

/** An absolute http(s) URL (such as a validator's RPC endpoint), without a trailing slash. */
export function parseHttpUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${source}: expected an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${source}: expected an http(s) URL, got ${JSON.stringify(value)}`);
  return url.href.replace(/\/+$/, '');
}
