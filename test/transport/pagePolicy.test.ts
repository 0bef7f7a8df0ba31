import { describe, expect, it } from 'vitest';
import { pagesCsp } from '../../src/transport/pagePolicy.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start } = useServers();
let server: TestServer;

/** The CSP of a page, as a map from directive to its sources. */
async function cspOf(path: string): Promise<Map<string, string>> {
  const res = await fetch(`${server.httpUrl}${path}`);
  expect(res.status).toBe(200);
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(
    header.split(';').map((d) => {
      const [name = '', ...sources] = d.trim().split(/\s+/);
      return [name, sources.join(' ')];
    }),
  );
}

describe('the pages\u2019 Content-Security-Policy', () => {
  it.each(['/yonghu.html', '/kefu.html', '/history.html'])('lets %s connect only to its own origin, and submit forms only to it', async (page) => {
    server = await start();
    const csp = await cspOf(page);
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('form-action')).toBe("'self'");
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
  });

  it('adds each ALLOWED_ORIGINS origin in its http(s) and ws(s) forms', async () => {
    server = await start({ ALLOWED_ORIGINS: 'https://support.example.com,http://intranet.example:8080' });
    expect((await cspOf('/yonghu.html')).get('connect-src')).toBe(
      "'self' https://support.example.com wss://support.example.com http://intranet.example:8080 ws://intranet.example:8080",
    );
  });
});

describe('pagesCsp', () => {
  it('takes a ws(s) origin as its http(s) form too', () => {
    expect(pagesCsp(['wss://chat.example.com'])).toContain("connect-src 'self' https://chat.example.com wss://chat.example.com;");
  });

  it('adds nothing for an entry that is not a plain http(s) or ws(s) origin, so none can write its own directive', () => {
    const csp = pagesCsp(['https://x.example; script-src *', 'javascript:alert(1)', 'not an origin', '*']);
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toContain('script-src *');
    expect(csp).not.toContain('javascript');
  });
});
