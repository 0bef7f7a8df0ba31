import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { refuseSocket, requestTimeout } from './refusal.js';

/** What is known of one watched socket. */
interface Watch {
  timer: NodeJS.Timeout | undefined;
  /** Requests whose headers arrived and whose response has not finished. */
  pending: number;
  /** socket.bytesRead when the wait began: more means a request was started and not finished. */
  readAtStart: number;
  /** Stops the timer when the socket closes; removed on release, so an upgraded socket keeps nothing of the watch. */
  onClose: () => void;
}

/**
 * A deadline of our own for the time a socket spends before a request: from its accept, and
 * again from the end of each response on a kept-alive socket, the request line and headers (or
 * the upgrade) must be complete within `headerMs`. Node's own headersTimeout is checked on a
 * coarse interval and was seen not to cut idle and header-trickling sockets within minutes; this
 * is a timer per socket. The timer stops once the headers are parsed (a body has its own
 * deadline, see bodyDeadline) or the upgrade is released to the WebSocket server, whose
 * heartbeat keeps its connections alive from then on. Between requests a kept-alive socket gets
 * the server's keepAliveTimeout on top: Node closes a silent one then, as always; this cuts one
 * that trickles its next request.
 */
export class HeaderDeadline {
  private readonly watches = new WeakMap<Duplex, Watch>();

  constructor(
    private readonly headerMs: number,
    private readonly onCut: () => void,
  ) {}

  /** Puts every socket the server accepts under the deadline. */
  watch(server: Server): void {
    server.on('connection', (socket: Socket) => {
      const watch: Watch = { timer: undefined, pending: 0, readAtStart: 0, onClose: () => clearTimeout(watch.timer) };
      this.watches.set(socket, watch);
      this.arm(socket, watch, this.headerMs);
      socket.once('close', watch.onClose);
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket;
      const watch = this.watches.get(socket);
      if (!watch) return;
      watch.pending++;
      clearTimeout(watch.timer);
      res.once('close', () => {
        watch.pending--;
        if (watch.pending === 0 && !socket.destroyed) this.arm(socket, watch, server.keepAliveTimeout + this.headerMs);
      });
    });
  }

  /** The upgrade's socket leaves HTTP: answered and closed, or handed to the WebSocket server. */
  release(socket: Duplex): void {
    const watch = this.watches.get(socket);
    if (!watch) return;
    clearTimeout(watch.timer);
    socket.removeListener('close', watch.onClose);
    this.watches.delete(socket);
  }

  private arm(socket: Socket, watch: Watch, ms: number): void {
    clearTimeout(watch.timer);
    watch.readAtStart = socket.bytesRead;
    watch.timer = setTimeout(() => {
      this.watches.delete(socket);
      this.onCut();
      // A socket that never started a request is closed as keep-alive closes it; one cut halfway is told why.
      if (socket.bytesRead > watch.readAtStart) refuseSocket(socket, requestTimeout('the request headers did not arrive in time'));
      else socket.destroy();
    }, ms);
    watch.timer.unref();
  }
}
