import type { ResolvedDirectory } from '@trucom/content';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A plain HTML index of a directory without index.html (names, sizes, CIDs). */
export async function directoryListing(pathname: string, dir: ResolvedDirectory): Promise<string> {
  const base = pathname.endsWith('/') ? pathname : `${pathname}/`;
  const rows: string[] = [];
  for await (const e of dir.entries()) {
    const href = base + encodeURIComponent(e.name);
    rows.push(`<tr><td><a href="${escapeHtml(href)}">${escapeHtml(e.name)}</a></td><td>${e.size}</td><td><code>${e.cid.toString()}</code></td></tr>`);
  }
  const title = escapeHtml(decodeURIComponentSafe(pathname));
  return `<!doctype html><html><head><meta charset="utf-8"><title>Index of ${title}</title></head><body><h1>Index of ${title}</h1><p><code>${dir.cid.toString()}</code></p><table><tr><th>Name</th><th>Size</th><th>CID</th></tr>${rows.join('')}</table></body></html>`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
