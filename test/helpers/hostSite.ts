import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A website on another origin (its own port) that embeds kefu, as a customer's site would: it
 * serves whatever pages a test gives it, so the widget is tried across origins for real.
 */
export interface HostSite {
  /** `http://127.0.0.1:PORT`: what the browser sends as Origin from its pages. */
  origin: string;
  /** Serves this HTML at a fresh path and returns its URL. */
  page(html: string): string;
  close(): Promise<void>;
}

/** `address`: another loopback address makes a site the server does not count as local (see ws/originPolicy.ts). */
export async function startHostSite(address = '127.0.0.1'): Promise<HostSite> {
  const pages = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const html = pages.get(req.url ?? '');
    if (html === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const origin = `http://${address}:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(html) {
      const path = `/page${pages.size + 1}.html`;
      pages.set(path, html);
      return `${origin}${path}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The stub the docs tell a site to put before the tag, so calls made before widget.js loads are queued. */
export const KEFU_STUB = 'window.kefu = window.kefu || function () { (kefu.q = kefu.q || []).push(arguments); };';

/**
 * A shop's page with the one tag: `script` runs first (after the stub), `attrs` are the tag's data-
 * attributes, `body` is extra markup. The page records what the API tells it in window.seen.
 */
export function shopPage(kefuUrl: string, options: { script?: string; attrs?: Record<string, string>; body?: string } = {}): string {
  const attrs = Object.entries(options.attrs ?? {})
    .map(([k, v]) => ` data-${k}="${v}"`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>山海书店</title>
<style>
  body { margin: 0; font: 16px/1.6 Georgia, serif; color: #292524; background: #faf7f2; }
  header { padding: 18px 32px; background: #1c1917; color: #fafaf9; font-size: 20px; }
  main { max-width: 760px; padding: 24px 32px; }
  .book { display: flex; gap: 20px; margin: 18px 0; padding: 18px; background: #fff; border: 1px solid #e7e5e4; border-radius: 8px; }
  .cover { width: 90px; height: 128px; flex-shrink: 0; border-radius: 4px; background: linear-gradient(135deg, #b45309, #78350f); }
  .cover.b { background: linear-gradient(135deg, #0f766e, #134e4a); }
  /* A site's own rules for every button and div: none may reach into the widget. */
  button { background: #f0abfc; border: 5px dotted red; }
  div { font-family: "Comic Sans MS", cursive; }
</style></head>
<body><header>山海书店</header><main>
<div class="book"><div class="cover"></div><div><h2>山海经图志</h2><p>精装彩印,附手绘地图。</p><p>¥128</p></div></div>
<div class="book"><div class="cover b"></div><div><h2>江南园林笔记</h2><p>一年四季的园子。</p><p>¥86</p></div></div>
${options.body ?? ''}
</main>
<script>
${KEFU_STUB}
window.seen = { messages: [], unread: [], open: 0, close: 0 };
kefu('on', 'message', function (m) { seen.messages.push(m); });
kefu('on', 'unread', function (n) { seen.unread.push(n); });
kefu('on', 'open', function () { seen.open++; });
kefu('on', 'close', function () { seen.close++; });
${options.script ?? ''}
</script>
<script src="${kefuUrl}/widget.js" async${attrs}></script>
</body></html>`;
}
