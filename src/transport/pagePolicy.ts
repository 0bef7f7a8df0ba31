/** The page and WebSocket forms of each scheme, so a configured origin allows both. */
const PAIRS: Record<string, [string, string]> = {
  'http:': ['http:', 'ws:'],
  'ws:': ['http:', 'ws:'],
  'https:': ['https:', 'wss:'],
  'wss:': ['https:', 'wss:'],
};

/**
 * The sources a configured origin adds to connect-src: its http(s) and ws(s) forms. Anything
 * that is not a plain origin of those schemes adds nothing, so a stray `;` or space in the
 * config can never write a directive of its own into the policy.
 */
function connectSources(origin: string): string[] {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return [];
  }
  const pair = PAIRS[url.protocol];
  if (pair === undefined || url.username !== '' || url.password !== '') return [];
  return pair.map((scheme) => `${scheme}//${url.host}`);
}

/**
 * The Content-Security-Policy of our pages: they load only our own scripts, styles and images,
 * talk (fetch and WebSocket) only to their own origin and the origins named in ALLOWED_ORIGINS,
 * submit forms only to us, and are framed by nobody but `frameAncestors` (the customer page by the
 * sites of WIDGET_ORIGINS, which config checked to be exact origins; every other page by nobody).
 */
export function pagesCsp(allowedOrigins: readonly string[], frameAncestors: readonly string[] = []): string {
  const connect = new Set(["'self'"]);
  for (const origin of allowedOrigins) for (const source of connectSources(origin)) connect.add(source);
  return [
    "default-src 'self'",
    `connect-src ${[...connect].join(' ')}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}
