import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ClientAddresses } from '../clientAddress.js';

/**
 * Where a request comes from, as far as cookies are concerned: over https or not (for the cookie's
 * Secure flag), and from one of our own pages or not (the CSRF check). Behind a proxy named in
 * TRUST_PROXY, its X-Forwarded-Proto and X-Forwarded-Host are believed; from anyone else, never.
 */
export class RequestOrigin {
  constructor(private readonly addresses: ClientAddresses) {}

  private trusted(req: IncomingMessage): boolean {
    return this.addresses.isTrustedProxy(req.socket.remoteAddress);
  }

  private forwarded(req: IncomingMessage, header: string): string | undefined {
    const raw = req.headers[header];
    const first = (Array.isArray(raw) ? raw[0] : raw)?.split(',')[0]?.trim();
    return first === undefined || first === '' ? undefined : first;
  }

  /** True when the browser reached us over https (directly, or at a trusted proxy). */
  isHttps(req: IncomingMessage): boolean {
    if ((req.socket as TLSSocket).encrypted === true) return true;
    return this.trusted(req) && this.forwarded(req, 'x-forwarded-proto')?.toLowerCase() === 'https';
  }

  /**
   * The origin the browser sent this request to (`https://chat.example.com`): the scheme as
   * isHttps sees it, the host from a trusted proxy's X-Forwarded-Host or else the Host header.
   * Undefined when the host is not a host name or address with an optional port.
   */
  browserOrigin(req: IncomingMessage): string | undefined {
    const host = (this.trusted(req) ? this.forwarded(req, 'x-forwarded-host') : undefined) ?? req.headers.host;
    if (host === undefined || !/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) return undefined;
    return `${this.isHttps(req) ? 'https' : 'http'}://${host.toLowerCase()}`;
  }

  /**
   * True when the request was made by one of our own pages: the browser says so (Sec-Fetch-Site:
   * same-origin), or, from a browser that does not send that header, its Origin names the host the
   * request was sent to. A request with neither is refused: every browser sends one of them with a
   * POST, and scripts use API tokens, which need no such check.
   */
  isSameOrigin(req: IncomingMessage): boolean {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined) return site === 'same-origin';
    const origin = req.headers.origin;
    if (origin === undefined || origin === 'null') return false;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false;
    }
    const hosts = [req.headers.host];
    if (this.trusted(req)) hosts.push(this.forwarded(req, 'x-forwarded-host'));
    return hosts.some((h) => h !== undefined && h.toLowerCase() === host.toLowerCase());
  }
}
