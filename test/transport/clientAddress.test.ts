import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ClientAddresses, addressKey } from '../../src/transport/clientAddress.js';
import { ConfigError, loadConfig } from '../../src/config.js';

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    connection: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('client addresses', () => {
  it('keys an IPv6 address by its /64 and an IPv4-mapped one as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:ffff:1:2:3'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(addressKey('10.1.2.3')).toBe('10.1.2.3');
  });

  it('ignores X-Forwarded-For unless the peer is a trusted proxy', () => {
    const none = new ClientAddresses([]);
    expect(none.of(request('10.0.0.9', '198.51.100.7'))).toBe('10.0.0.9');
    const proxied = new ClientAddresses(['10.0.0.0/8']);
    expect(proxied.of(request('10.0.0.9', '198.51.100.7'))).toBe('198.51.100.7');
    // A client that forges the header in front of the real chain is not believed past the proxy's own entry.
    expect(proxied.of(request('10.0.0.9', '203.0.113.1, 198.51.100.7'))).toBe('198.51.100.7');
    expect(proxied.of(request('192.0.2.1', '198.51.100.7'))).toBe('192.0.2.1');
    expect(proxied.isTrustedProxy('10.2.3.4')).toBe(true);
    expect(proxied.isTrustedProxy('192.0.2.1')).toBe(false);
  });

  it('refuses a TRUST_PROXY entry that is not an address, a range or a known name', () => {
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, ::1' }, []).trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example.com' }, [])).toThrow(ConfigError);
  });
});
