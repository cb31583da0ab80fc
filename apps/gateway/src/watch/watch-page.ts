/**
 * Seconds of video hls.js may load ahead of the playhead. Its default (30 s) fetches the keys of every
 * period in the next 30 s at once, so a revoked viewer would keep watching that long; with a short
 * forward buffer, the keys a viewer holds when a revoke commits open at most this much video beyond
 * the current key period.
 */
export const FORWARD_BUFFER_S = 8;

/**
 * `/watch/{content}`: a page that plays an encrypted stream with hls.js. Key requests carry the
 * viewer's ADR-036 signature over {"content","key","ts"}, made by the browser wallet (Keplr's
 * `signArbitrary`, or any wallet that injects the same `window.keplr` API) in hls.js's `xhrSetup`.
 */
export function watchPage(options: { content: string; master: string; chainId: string }): string {
  const config = JSON.stringify({ ...options, forwardBufferS: FORWARD_BUFFER_S }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Watch ${escapeHtml(options.content)} · Trucom</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #111; color: #eee; }
  main { max-width: 960px; margin: 0 auto; padding: 16px; }
  video { width: 100%; background: #000; aspect-ratio: 16 / 9; }
  #status { margin-top: 12px; min-height: 1.5em; }
  #status.error { color: #ff8080; }
</style>
</head>
<body>
<main>
  <h1>${escapeHtml(options.content)}</h1>
  <video id="video" controls muted playsinline></video>
  <p id="status" role="status">Connecting to your wallet…</p>
</main>
<script src="/assets/hls.min.js"></script>
<script>
const config = ${config};
const video = document.getElementById('video');
const status = document.getElementById('status');
function show(text, isError) {
  status.textContent = text;
  status.className = isError ? 'error' : '';
}
async function viewerAddress() {
  if (!window.keplr) throw new Error('A Cosmos wallet (Keplr) is needed to watch: it signs each key request with your address.');
  await window.keplr.enable(config.chainId);
  return (await window.keplr.getKey(config.chainId)).bech32Address;
}
async function authorization(url, address) {
  const [, , content, key] = new URL(url, location.href).pathname.split('/');
  const data = JSON.stringify({ content, key, ts: Math.floor(Date.now() / 1000) });
  const signed = await window.keplr.signArbitrary(config.chainId, address, data);
  return 'ADR036 ' + btoa(JSON.stringify({ signer: address, data, pub_key: signed.pub_key, signature: signed.signature }));
}
async function start() {
  if (!window.Hls || !Hls.isSupported()) return show('This browser cannot play HLS with hls.js (no Media Source Extensions).', true);
  const address = await viewerAddress();
  show('Watching as ' + address);
  const hls = new Hls({
    maxBufferLength: config.forwardBufferS,
    maxMaxBufferLength: config.forwardBufferS,
    xhrSetup: async (xhr, url) => {
      if (!new URL(url, location.href).pathname.startsWith('/keys/')) return;
      xhr.open('GET', url, true);
      xhr.setRequestHeader('Authorization', await authorization(url, address));
    },
  });
  window.trucomPlayer = { hls, errors: [] };
  hls.on(Hls.Events.ERROR, (_event, data) => {
    window.trucomPlayer.errors.push({ details: data.details, fatal: data.fatal, code: data.response && data.response.code });
    if (data.details === Hls.ErrorDetails.KEY_LOAD_ERROR) {
      const code = data.response && data.response.code;
      show(code === 403 ? 'Your access to this stream was revoked or never granted: the gateway refused the next key (403).' : 'The gateway refused the key (' + code + ').', true);
    } else if (data.fatal) {
      show('Playback stopped: ' + data.details, true);
    }
  });
  hls.loadSource(config.master);
  hls.attachMedia(video);
  hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => show('Press play to start.')));
}
start().catch((err) => show(err.message, true));
</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
