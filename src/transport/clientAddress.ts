import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/**
 * Who a request comes from, for the per-address limits. The socket's peer address, or, when
 * that peer is a proxy named in TRUST_PROXY, the client address the proxy put in
 * X-Forwarded-For (proxy-addr walks the chain from the socket outwards and stops at the first
 * hop that is not trusted, so a client cannot choose its own address by sending the header).
 */
export class ClientAddresses {
  private readonly trust: (addr: string, i: number) => boolean;

  /** `trusted`: addresses, CIDR ranges or proxy-addr's names (`loopback`, `uniquelocal`). */
  constructor(trusted: readonly string[]) {
    this.trust = trusted.length === 0 ? () => false : proxyaddr.compile([...trusted]);
  }

  /** The limit key of a request: an IPv4 address, or the /64 an IPv6 address is in. */
  of(req: IncomingMessage): string {
    let addr: string;
    try {
      addr = proxyaddr(req, this.trust);
    } catch {
      addr = req.socket.remoteAddress ?? '';
    }
    return addressKey(addr);
  }

  /** Whether a socket's peer is a trusted proxy (then its own address says nothing of the clients behind it). */
  isTrustedProxy(remoteAddress: string | undefined): boolean {
    return remoteAddress !== undefined && this.trust(remoteAddress, 0);
  }
}

/**
 * One key per client: an IPv4 address as it is (an IPv4-mapped IPv6 address too), an IPv6
 * address by its /64, because one subscriber usually gets a whole /64 and can pick any address
 * in it. Anything unparseable keys as itself.
 */
export function addressKey(addr: string): string {
  if (!ipaddr.isValid(addr)) return addr;
  const parsed = ipaddr.process(addr);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}
