import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { HttpError } from '../protocol/errorCodes.js';
import { limitPerAddress, type AddressLimits } from './addressLimits.js';
import { afterBodyDeadline, bodyDeadline } from './bodyDeadline.js';
import type { ClientAddresses } from './clientAddress.js';
import { HeaderDeadline } from './headerDeadline.js';
import type { HttpEdge } from './httpApp.js';
import { BAD_REQUEST, refuseSocket, tooManyRequests, type Refusal } from './refusal.js';
import { SocketsPerAddress } from './socketCap.js';

/** The edge's settings, from config. */
export interface EdgeOptions {
  maxSocketsPerAddress: number;
  headerTimeoutMs: number;
  bodyTimeoutMs: number;
  uploadTimeoutMs: number;
  uploadIdleMs: number;
}

/** What Node's parser reports about a request it could not read, as the refusal to answer it with. */
const PARSER_REFUSALS: Record<string, Refusal> = {
  HPE_HEADER_OVERFLOW: { status: 431, error: HttpError.BAD_REQUEST, message: 'the request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, error: HttpError.TIMEOUT, message: 'the request did not arrive in time' },
};

/** Hands an upgrade that passed the edge on (path check, origin check, the WebSocket server). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

function ignore(): void {}

/**
 * Everything between the network and the routes, on both ports: the cap on sockets per client
 * address, deadlines for headers and bodies, limits per address on /getroom, uploads, public
 * POSTs and WebSocket upgrades, and the answer to bytes that are not HTTP. Nothing here knows
 * rooms or messages.
 */
export class Edge {
  private readonly sockets: SocketsPerAddress;
  private readonly headers: HeaderDeadline;
  /** The middleware httpApp mounts in front of its routes. */
  readonly http: HttpEdge;

  constructor(
    private readonly options: EdgeOptions,
    private readonly addresses: ClientAddresses,
    private readonly limits: AddressLimits,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    const count = (reason: string): void => metrics.edgeRefusals.inc({ reason });
    this.sockets = new SocketsPerAddress(options.maxSocketsPerAddress, addresses, () => count('sockets_per_address'));
    this.headers = new HeaderDeadline(options.headerTimeoutMs, () => count('header_timeout'));
    this.http = {
      getroom: limitPerAddress(limits.getroom, addresses, count),
      upload: limitPerAddress(limits.upload, addresses, count),
      publicPost: limitPerAddress(limits.publicPost, addresses, count),
      bodyDeadline: bodyDeadline({ totalMs: options.bodyTimeoutMs }, () => count('body_timeout')),
      uploadBodyDeadline: bodyDeadline({ totalMs: options.uploadTimeoutMs, idleMs: options.uploadIdleMs }, () => count('body_timeout')),
      afterBodyDeadline,
    };
  }

  /** Puts a server (either port) behind the edge: socket cap, header deadline, parser errors. */
  guard(server: Server): void {
    this.sockets.watch(server);
    this.headers.watch(server);
    // Node's own timeouts stay as a backstop behind ours, never in front of them.
    server.headersTimeout = this.options.headerTimeoutMs + 1000;
    server.requestTimeout = Math.max(this.options.uploadTimeoutMs, this.options.bodyTimeoutMs) + this.options.headerTimeoutMs + 1000;
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      // Never the error itself: Node attaches the raw request bytes (credentials and all) to it.
      this.log.debug({ code: err.code }, 'bad http request');
      if (err.code === 'ECONNRESET' || !socket.writable) socket.destroy();
      else refuseSocket(socket, PARSER_REFUSALS[err.code ?? ''] ?? BAD_REQUEST);
    });
  }

  /**
   * A server's 'upgrade' listener: counts the upgrade against its client address before any
   * WebSocket exists and answers 429 with Retry-After over the limit; otherwise passes it to
   * `accept`. From here the socket is no longer HTTP's: the header deadline lets go of it.
   */
  upgrades(accept: UpgradeHandler): UpgradeHandler {
    return (req, socket, head) => {
      // Node took its own error listener off at the upgrade: a reset while we count must not crash us.
      socket.on('error', ignore);
      this.limits.upgrade
        .take(this.addresses.of(req))
        .then((verdict) => {
          this.headers.release(socket);
          if (verdict.ok) return accept(req, socket, head);
          this.metrics.edgeRefusals.inc({ reason: this.limits.upgrade.name });
          refuseSocket(socket, tooManyRequests(verdict.retryAfterMs));
        })
        .catch((err: unknown) => {
          this.log.warn({ err }, 'upgrade failed');
          socket.destroy();
        });
    };
  }
}
