/** The page served at `/` until the React dashboard lands: says so and links to the chain's status. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Only inline styles, no scripts: served with a CSP that forbids everything else. */
export const PLACEHOLDER_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function renderPlaceholderPage(rpc: string): string {
  const status = escapeHtml(`${rpc}/status`);
  const rpcText = escapeHtml(rpc);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trucom dashboard</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { margin: 0; }
  main { max-width: 40rem; margin: 0 auto; padding: 2rem 1rem; }
  a { color: LinkText; }
  a:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
  code { font-size: 0.95em; }
</style>
</head>
<body>
<main>
<h1>Trucom dashboard</h1>
<p>The full dashboard (wallet, uploads and storage deals, streams and grants, validators) is coming soon.</p>
<p>Meanwhile, the chain is reachable through the validator RPC at <code>${rpcText}</code>:
<a href="${status}">chain status (node, latest block height)</a>.</p>
</main>
</body>
</html>
`;
}
