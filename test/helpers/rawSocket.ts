import net from 'node:net';

/**
 * A plain TCP client for tests about what the server does to sockets (caps, deadlines): it
 * keeps every byte it was sent and knows when, after how long, the server closed it.
 */
export class RawSocket {
  received = '';
  readonly openedAt: number;
  /** Resolves when the socket closes, with the milliseconds it was open. */
  readonly closed: Promise<number>;
  private waiters: Array<() => void> = [];

  constructor(readonly socket: net.Socket) {
    this.openedAt = Date.now();
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.received += chunk;
      this.wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        resolve(Date.now() - this.openedAt);
        this.wake();
      });
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  write(text: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(text);
  }

  /** Waits until the bytes received contain `text` (or the socket closed); returns all received. */
  async receive(text: string, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!this.received.includes(text)) {
      if (this.socket.destroyed) throw new Error(`socket closed before "${text}"; got: ${this.received.slice(0, 200)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for "${text}"; got: ${this.received.slice(0, 200)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  /**
   * Writes `chunks` one every `everyMs` until the socket closes (then stops), so a test can
   * play a sender that trickles.
   */
  trickle(chunks: Array<string | Buffer>, everyMs: number): void {
    let i = 0;
    const timer = setInterval(() => {
      if (this.socket.destroyed || i >= chunks.length) return clearInterval(timer);
      this.write(chunks[i++] as string | Buffer);
    }, everyMs);
    void this.closed.then(() => clearInterval(timer));
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Connects to 127.0.0.1:port, from `localAddress` when given (any 127/8 address is loopback on Linux). */
export function openSocket(port: number, localAddress?: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', ...(localAddress === undefined ? {} : { localAddress }) });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(new RawSocket(socket));
    });
  });
}

/** A whole GET request, answered and closed (Connection: close). */
export function getRequest(path: string, headers: Record<string, string> = {}): string {
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`;
}
