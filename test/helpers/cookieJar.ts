/** One cookie as a browser keeps it (host-only, as every cookie these tests meet is). */
interface StoredCookie {
  host: string;
  path: string;
  value: string;
}

/**
 * fetch as a browser would make it for redirects it is walked through one at a time: cookies kept
 * per host (ports share them, as in browsers) and path, sent back where they match, forgotten at
 * Max-Age=0. Redirects are never followed by fetch itself, so a test sees each step.
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** A request with the cookies that match its URL; the response's cookies are kept. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie !== '') headers.set('Cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.keep(url, res.headers.getSetCookie());
    return res;
  }

  /** The Cookie header a request to `url` carries. */
  header(url: string): string {
    const { hostname, pathname } = new URL(url);
    return [...this.cookies]
      .filter(([, c]) => c.host === hostname && (pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)))
      .map(([key, c]) => `${key.slice(key.lastIndexOf(' ') + 1)}=${c.value}`)
      .join('; ');
  }

  /** The value of a cookie this jar holds for `url`'s host, if any. */
  get(url: string, name: string): string | undefined {
    const host = new URL(url).hostname;
    return [...this.cookies].find(([key, c]) => c.host === host && key.endsWith(` ${name}`))?.[1].value;
  }

  /** Takes the cookies another jar holds for `url`'s host under `name` (another browser's, in a test of crossed flows). */
  set(url: string, name: string, value: string, path = '/'): void {
    const host = new URL(url).hostname;
    this.cookies.set(`${host} ${path} ${name}`, { host, path, value });
  }

  private keep(url: string, setCookies: string[]): void {
    const { hostname, pathname } = new URL(url);
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      let path = pathname.slice(0, pathname.lastIndexOf('/') + 1) || '/';
      let gone = false;
      for (const a of attributes) {
        const [k = '', v = ''] = a.split('=');
        if (k.toLowerCase() === 'path') path = v;
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) gone = true;
        if (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) gone = true;
      }
      const key = `${hostname} ${path} ${name}`;
      if (gone) this.cookies.delete(key);
      else this.cookies.set(key, { host: hostname, path, value: pair.slice(eq + 1) });
    }
  }
}
