/** Content types by file extension, then by a sniff of the first bytes (as Kubo does when the name says nothing). */
const BY_EXTENSION: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  wasm: 'application/wasm',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  m4s: 'video/iso.segment',
  webm: 'video/webm',
  ts: 'video/mp2t',
  m3u8: 'application/vnd.apple.mpegurl',
  mp3: 'audio/mpeg',
  aac: 'audio/aac',
  vtt: 'text/vtt; charset=utf-8',
  key: 'application/octet-stream',
  car: 'application/vnd.ipld.car',
};

const SIGNATURES: readonly [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [[0x47, 0x49, 0x46, 0x38], 'image/gif'],
  [[0x25, 0x50, 0x44, 0x46], 'application/pdf'],
  [[0x00, 0x61, 0x73, 0x6d], 'application/wasm'],
];

export function contentTypeFor(name: string, head: Uint8Array): string {
  const dot = name.lastIndexOf('.');
  const known = dot >= 0 ? BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined;
  if (known) return known;
  for (const [magic, type] of SIGNATURES) if (magic.every((b, i) => head[i] === b)) return type;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 512));
  if (/^\s*<(!doctype html|html|head|body)/i.test(text)) return 'text/html; charset=utf-8';
  return head.subarray(0, 512).some((b) => b === 0 || (b < 0x09)) ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}
