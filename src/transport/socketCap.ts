import type { Server } from 'node:net';
import type { Socket } from 'node:net';
import { addressKey, type ClientAddresses } from './clientAddress.js';

/**
 * A cap on the TCP connections one client address holds open, over every server it watches,
 * counted as each is accepted: the only point where an idle socket that never sends a byte can
 * be refused, before it holds a file descriptor for long. A socket over the cap is closed at
 * once, without an answer (writing one would cost more than the socket). A trusted proxy
 * (TRUST_PROXY) is exempt: all clients arrive through its address, so its sockets say nothing
 * of any one of them; the proxy is where connections per client are capped then.
 */
export class SocketsPerAddress {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly addresses: ClientAddresses,
    private readonly onRefused: () => void,
  ) {}

  /** Counts the server's connections from now on. */
  watch(server: Server): void {
    server.on('connection', this.onConnection);
  }

  /** Open connections of one address key (for tests and diagnostics). */
  openFrom(key: string): number {
    return this.open.get(key) ?? 0;
  }

  private readonly onConnection = (socket: Socket): void => {
    const peer = socket.remoteAddress;
    // Undefined once the peer is gone already: nothing to count or refuse.
    if (peer === undefined || this.addresses.isTrustedProxy(peer)) return;
    const key = addressKey(peer);
    const count = this.open.get(key) ?? 0;
    if (count >= this.max) {
      this.onRefused();
      socket.destroy();
      return;
    }
    this.open.set(key, count + 1);
    socket.once('close', () => {
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    });
  };
}
