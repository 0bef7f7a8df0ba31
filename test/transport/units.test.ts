import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/transport/ws/tokenBucket.js';
import { isOriginAllowed } from '../../src/transport/ws/originPolicy.js';
import { parseConnectionQuery } from '../../src/transport/ws/connectionQuery.js';
import { AgentKey } from '../../src/transport/agentKey.js';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    const b = new TokenBucket(3, 2, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(499)).toBe(false);
    expect(b.take(500)).toBe(true);
    expect(b.take(10_000) && b.take(10_000) && b.take(10_000) && !b.take(10_000)).toBe(true);
  });
});

describe('isOriginAllowed', () => {
  const opts = { pagePorts: () => [3001], allowed: ['https://support.example.com'] };
  it.each([
    [undefined, 'anything', true],
    ['http://localhost:5173', '10.0.0.1:3000', true],
    ['http://chat.example.com:3001', 'chat.example.com:3000', true],
    ['https://chat.example.com', 'chat.example.com', true],
    ['https://support.example.com', 'chat.example.com:3000', true],
    ['https://evil.example', 'chat.example.com:3000', false],
    ['http://chat.example.com:4000', 'chat.example.com:3000', false],
    ['null', 'chat.example.com:3000', false],
    ['file://x', 'chat.example.com:3000', false],
  ])('origin %s to host %s: %s', (origin, host, expected) => {
    expect(isOriginAllowed(origin, host, opts)).toBe(expected);
  });
});

describe('parseConnectionQuery', () => {
  it('reads an agent and a customer', () => {
    expect(parseConnectionQuery('/?type=kefu&name=%20a%20&key=k')).toEqual({ ok: true, request: { role: 'kefu', name: 'a', key: 'k', version: 1 } });
    expect(parseConnectionQuery('/ws?type=yonghu&name=b&ticket=t')).toEqual({ ok: true, request: { role: 'yonghu', name: 'b', ticket: 't', version: 1 } });
    expect(parseConnectionQuery('/?type=yonghu&name=b&ticket=t&v=2')).toMatchObject({ ok: true, request: { version: 2 } });
  });

  it("reads a customer's lang= when it names a language the service has, and ignores any other, repeated, or an agent's", () => {
    expect(parseConnectionQuery('/?type=yonghu&name=b&ticket=t&lang=en')).toEqual({
      ok: true,
      request: { role: 'yonghu', name: 'b', ticket: 't', version: 1, locale: 'en' },
    });
    expect(parseConnectionQuery('/?type=yonghu&name=b&resume=r&lang=zh')).toMatchObject({ ok: true, request: { locale: 'zh' } });
    for (const url of [
      '/?type=yonghu&name=b&ticket=t&lang=fr',
      '/?type=yonghu&name=b&ticket=t&lang=en&lang=en',
      '/?type=yonghu&name=b&ticket=t&lang=EN',
      '/?type=kefu&name=a&key=k&lang=en',
    ]) {
      const r = parseConnectionQuery(url);
      expect(r.ok && 'locale' in r.request, url).toBe(false);
      expect(r.ok, url).toBe(true);
    }
  });

  it('reads a signed-in agent, who gives neither name nor key (the account has them)', () => {
    expect(parseConnectionQuery('/ws?type=kefu&v=2&since=4')).toEqual({ ok: true, request: { role: 'kefu', version: 2, since: 4 } });
    // A name without a key is still the seed's form, missing its key.
    expect(parseConnectionQuery('/?type=kefu&name=a')).toMatchObject({ ok: false, code: 4401 });
  });

  it.each([
    ['/', 4400],
    ['/?type=admin&name=a', 4400],
    ['/?type=kefu&type=kefu&name=a&key=k', 4400],
    ['/?type=kefu&name=a&name=b&key=k', 4400],
    ['/?type=kefu&name=a', 4401],
    ['/?type=yonghu&name=a', 4401],
    ['/?type=yonghu&name=a&ticket=', 4401],
    ['/?type=yonghu&name=a&ticket=t&v=3', 4400],
    ['/?type=yonghu&name=a&ticket=t&v=', 4400],
    ['/?type=kefu&name=a&key=k&v=2&v=2', 4400],
  ])('refuses %s with %i', (url, code) => {
    const r = parseConnectionQuery(url);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe(code);
  });
});

describe('AgentKey', () => {
  it('matches only the exact key', () => {
    const k = new AgentKey('secret-key');
    expect(k.matches('secret-key')).toBe(true);
    expect(k.matches('secret-ke')).toBe(false);
    expect(k.matches(undefined)).toBe(false);
  });
});
