import net from 'node:net';

/**
 * A TCP proxy on loopback in front of a real service, so a test can cut the network to it
 * (every open connection reset, new ones refused) and bring it back, without stopping a
 * service that other test files share; or make its clients slow readers, or deaf.
 */
export interface TcpProxy {
  port: number;
  /** Resets every connection through the proxy and refuses new ones until restore(). */
  cut(): Promise<void>;
  /**
   * From now on passes nothing the service sends to its clients (it stays unread, in the
   * sockets' buffers) while still passing what they send: a client whose acks never arrive.
   */
  holdDownstream(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  /** Passes what the service sends to each client at most this fast: a reader on a slow link. */
  downstreamBytesPerSec?: number;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1', options: TcpProxyOptions = {}): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  const upstreams = new Map<net.Socket, net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  let held = false;
  const hold = (upstream: net.Socket, client: net.Socket) => {
    upstream.unpipe(client);
    // The throttle's reader too.
    upstream.removeAllListeners('data');
    upstream.pause();
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        open.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          open.delete(client);
          open.delete(upstream);
          upstreams.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream);
        upstreams.set(upstream, client);
        const rate = options.downstreamBytesPerSec;
        if (held) hold(upstream, client);
        else if (rate === undefined) upstream.pipe(client);
        else throttle(upstream, client, rate);
      });
      s.once('error', reject);
      // The same port after a restore, so clients reconnect to where they were.
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const sock of open) sock.resetAndDestroy();
      open.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  await listen();
  return {
    get port() {
      return port;
    },
    cut: stop,
    holdDownstream() {
      held = true;
      for (const [upstream, client] of upstreams) hold(upstream, client);
    },
    restore: listen,
    close: stop,
  };
}

/** Copies `from` to `to` at `bytesPerSec` on average: reading stops while the copy is ahead of that pace. */
function throttle(from: net.Socket, to: net.Socket, bytesPerSec: number): void {
  const start = Date.now();
  let copied = 0;
  from.on('data', (chunk: Buffer) => {
    to.write(chunk);
    copied += chunk.length;
    const ahead = start + (copied / bytesPerSec) * 1000 - Date.now();
    if (ahead <= 0) return;
    from.pause();
    setTimeout(() => from.resume(), ahead).unref();
  });
}
