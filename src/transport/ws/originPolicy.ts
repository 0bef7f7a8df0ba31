const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface OriginPolicyOptions {
  /** Ports the pages are served from; a page on the request's host at one of these is same-site. */
  pagePorts: () => number[];
  /** Extra full origins (`https://support.example.com`) allowed as configured. */
  allowed: string[];
}

/**
 * Decides whether a WebSocket upgrade may proceed, before any socket exists. Browsers always
 * send Origin, so this is what stops another site's page from opening a socket with a visitor's
 * browser. Clients without Origin (curl, the ws library, the seed's nodejs clients) are not
 * browsers and cannot be driven cross-site, so they pass.
 */
export function isOriginAllowed(origin: string | undefined, hostHeader: string | undefined, options: OriginPolicyOptions): boolean {
  if (origin === undefined) return true;
  if (options.allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (LOCAL_HOSTS.has(url.hostname)) return true;
  if (hostHeader === undefined) return false;
  let host: URL;
  try {
    host = new URL(`http://${hostHeader}`);
  } catch {
    return false;
  }
  if (url.hostname !== host.hostname) return false;
  // Same host and port: the page and the socket share an origin (one-port or proxied deploy).
  if (url.host === host.host) return true;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return options.pagePorts().includes(port);
}
