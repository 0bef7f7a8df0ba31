import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { Logger } from 'pino';
import type { Broker, Admission, Departure, Refusal } from '../domain/broker.js';
import type { Participant } from '../domain/participant.js';
import type { Delivery, RoomEvent } from '../domain/roomEvent.js';
import { CloseCode } from '../protocol/closeCodes.js';
import { FrameError, type FrameErrorCode } from '../protocol/errorCodes.js';
import { parseClientFrame, type ServerFrame } from '../protocol/frames.js';
import { SYSTEM_SENDER, closeReasons, notices } from '../protocol/notices.js';
import { parseConnectionQuery } from './connectionQuery.js';
import { encodeEvent } from './encodeEvent.js';
import { isOriginAllowed } from './originPolicy.js';
import { TokenBucket } from './tokenBucket.js';
import type { AgentKey } from './agentKey.js';

export interface GatewayOptions {
  maxPayloadBytes: number;
  maxMessageChars: number;
  maxBufferedBytes: number;
  heartbeatMs: number;
  /** How often the broker's timers (grace, queue wait, tickets) are checked. */
  tickMs: number;
  rateBurst: number;
  ratePerSec: number;
  abuseBurst: number;
  allowedOrigins: string[];
  /** Ports our pages are served from, for the default origin policy. */
  pagePorts: () => number[];
}

/** One WebSocket and what we know about it. */
interface Connection {
  id: string;
  ws: WebSocket;
  /** Set once the broker admitted the connection. */
  participant?: Participant;
  /**
   * Frames for this connection that arrive while it is being admitted wait here, so the
   * admission's own frames (greeting, replay) go first; null once admitted.
   */
  held: Array<{ event: RoomEvent; data: string }> | null;
  /** Cleared on every ping, set by the pong (or any frame): a dead peer misses one round. */
  alive: boolean;
  /** Work for this connection runs in arrival order, even though the broker is async. */
  chain: Promise<void>;
  rate: TokenBucket;
  /** Rejected frames spend from this bucket; empty means sustained abuse. */
  abuse: TokenBucket;
}

const REFUSALS: Record<Refusal, [number, string]> = {
  name_taken: [CloseCode.NAME_TAKEN, closeReasons.nameTaken],
  unknown_ticket: [CloseCode.UNAUTHORIZED, closeReasons.unknownTicket],
  expired_ticket: [CloseCode.UNAUTHORIZED, closeReasons.expiredTicket],
  wrong_name: [CloseCode.UNAUTHORIZED, closeReasons.wrongName],
  bad_resume: [CloseCode.UNAUTHORIZED, closeReasons.badResume],
};

/** Close codes that mean the person left on purpose (the page's disconnect button). */
function departureOf(code: number): Departure {
  return code === 1000 || code === 1005 ? 'deliberate' : 'dropped';
}

/** How long a socket told to close (slow consumer, shutdown) gets before it is cut. */
const CLOSE_GRACE_MS = 1000;

/**
 * The WebSocket edge: validates upgrades and frames, keeps connections alive or cuts them, and
 * turns the broker's deliveries into frames. Knows nothing of rooms itself.
 */
export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly connections = new Map<string, Connection>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly ticker: NodeJS.Timeout;
  private nextId = 0;

  constructor(
    private readonly broker: Broker,
    private readonly agentKey: AgentKey,
    private readonly options: GatewayOptions,
    private readonly log: Logger,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.wss.on('error', (err) => this.log.error({ err }, 'websocket server error'));
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
    this.ticker = setInterval(() => {
      this.broker.tick().then(
        (deliveries) => this.deliver(deliveries),
        (err: unknown) => this.log.error({ err }, 'broker tick failed'),
      );
    }, options.tickMs);
    this.ticker.unref();
  }

  /** Number of open, admitted or pending, connections. */
  get size(): number {
    return this.connections.size;
  }

  /** Handles an HTTP upgrade from either port; refuses cross-site origins with 403. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.log.debug({ err }, 'upgrade socket error'));
    const allowed = isOriginAllowed(req.headers.origin, req.headers.host, {
      allowed: this.options.allowedOrigins,
      pagePorts: this.options.pagePorts,
    });
    if (!allowed) {
      this.log.warn({ origin: req.headers.origin }, 'websocket origin refused');
      const body = JSON.stringify({ error: 'forbidden_origin', message: 'origin not allowed' });
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    ws.on('error', (err) => this.log.debug({ err }, 'websocket error'));
    const query = parseConnectionQuery(req.url);
    if (!query.ok) {
      ws.close(query.code, query.reason);
      return;
    }
    const request = query.request;
    if (request.role === 'kefu' && !this.agentKey.matches(request.key)) {
      ws.close(CloseCode.UNAUTHORIZED, closeReasons.badKey);
      return;
    }
    const now = Date.now();
    const conn: Connection = {
      id: `c${this.nextId++}`,
      ws,
      alive: true,
      held: [],
      chain: Promise.resolve(),
      rate: new TokenBucket(this.options.rateBurst, this.options.ratePerSec, now),
      abuse: new TokenBucket(this.options.abuseBurst, 1, now),
    };
    this.connections.set(conn.id, conn);
    ws.on('message', (data, isBinary) => this.onFrame(conn, data, isBinary));
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('close', (code) => this.onClose(conn, code));
    this.enqueue(conn, async () => {
      const admission: Admission =
        request.role === 'kefu'
          ? await this.broker.admitAgent(conn.id, request.name, request.since)
          : 'resume' in request
            ? await this.broker.resumeCustomer(conn.id, request.name, request.resume, request.since)
            : await this.broker.admitCustomer(conn.id, request.name, request.ticket);
      if (!admission.ok) {
        conn.held = null;
        const [code, reason] = REFUSALS[admission.refusal];
        ws.close(code, reason);
        return;
      }
      conn.participant = admission.participant;
      this.log.info({ role: request.role, name: request.name, conn: conn.id }, 'joined');
      const held = conn.held ?? [];
      conn.held = null;
      this.deliver(admission.deliveries);
      // Live frames that raced the admission go after it, less those its replay already brought.
      for (const { event, data } of held) {
        if (event.kind !== 'message' || event.seq === undefined || event.seq > admission.caughtUpTo) this.sendEvent(conn, event, data);
      }
      // The socket may have gone while the broker answered: its close found no participant yet.
      if (ws.readyState !== WebSocket.OPEN) await this.depart(conn, 'dropped');
    });
  }

  private onFrame(conn: Connection, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    if (isBinary) {
      conn.ws.close(CloseCode.UNSUPPORTED_DATA, closeReasons.binary);
      return;
    }
    const now = Date.now();
    if (!conn.rate.take(now)) {
      this.reject(conn, FrameError.RATE_LIMITED, now);
      return;
    }
    const parsed = parseClientFrame(data.toString(), this.options.maxMessageChars);
    if (!parsed.ok) {
      this.reject(conn, parsed.error, now, parsed.cid);
      return;
    }
    const { content, cid } = parsed.value;
    this.enqueue(conn, async () => {
      if (!conn.participant) return;
      this.deliver(await this.broker.send(conn.participant, content, cid));
    });
  }

  /** Tells the sender why a frame was dropped; too many of these and the connection goes. */
  private reject(conn: Connection, error: FrameErrorCode, now: number, cid?: string): void {
    if (!conn.abuse.take(now)) {
      conn.ws.close(CloseCode.POLICY_VIOLATION, closeReasons.abuse);
      return;
    }
    const text =
      error === FrameError.TOO_LONG
        ? notices.tooLong(this.options.maxMessageChars)
        : error === FrameError.RATE_LIMITED
          ? notices.rateLimited
          : error === FrameError.EMPTY
            ? notices.empty
            : error === FrameError.BAD_CID
              ? notices.badCid
              : notices.badFrame;
    const frame: ServerFrame = { neiRong: text, shuiFaDe: SYSTEM_SENDER, type: 'error', error, ts: now };
    if (cid !== undefined) frame.cid = cid;
    // Queued behind the frames before it, so the client sees answers in the order it sent.
    this.enqueue(conn, async () => this.send(conn, JSON.stringify(frame)));
  }

  private onClose(conn: Connection, code: number): void {
    this.connections.delete(conn.id);
    this.enqueue(conn, () => this.depart(conn, departureOf(code)));
  }

  private async depart(conn: Connection, how: Departure): Promise<void> {
    const who = conn.participant;
    if (!who) return;
    conn.participant = undefined;
    this.log.info({ role: who.role, name: who.name, conn: conn.id, how }, 'left');
    this.deliver(await this.broker.leave(who, how));
  }

  private enqueue(conn: Connection, task: () => Promise<void>): void {
    conn.chain = conn.chain.then(task).catch((err: unknown) => {
      this.log.error({ err, conn: conn.id }, 'connection task failed');
    });
  }

  /** Sends each delivery's frame, encoded once, to every addressee still connected here. */
  private deliver(deliveries: Delivery[]): void {
    const now = Date.now();
    for (const { event, to } of deliveries) {
      if (event.kind === 'replaced') {
        for (const id of to) this.endConnection(id, CloseCode.REPLACED, closeReasons.replaced);
        continue;
      }
      const data = JSON.stringify(encodeEvent(event, now));
      for (const id of to) {
        const conn = this.connections.get(id);
        if (!conn) continue;
        if (conn.held) conn.held.push({ event, data });
        else this.sendEvent(conn, event, data);
      }
    }
  }

  /** Sends one encoded event and applies what it means for the connection. */
  private sendEvent(conn: Connection, event: RoomEvent, data: string): void {
    this.send(conn, data);
    // A waiting customer was placed: their messages now go to this room.
    if (event.kind === 'agent_assigned' && conn.participant) conn.participant.room = event.agent;
    if (event.kind === 'dismissed') {
      this.endConnection(conn.id, CloseCode.NORMAL, event.reason === 'agent_left' ? closeReasons.agentLeft : closeReasons.queueTimeout);
    }
  }

  /** Closes a connection whose participant is already dealt with, so its close changes nothing. */
  private endConnection(id: string, code: number, reason: string): void {
    const conn = this.connections.get(id);
    if (!conn) return;
    conn.participant = undefined;
    this.closeSoon(conn.ws, code, reason);
  }

  private send(conn: Connection, data: string): void {
    const ws = conn.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(data);
    if (ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.log.warn({ conn: conn.id, buffered: ws.bufferedAmount }, 'slow consumer cut');
      this.closeSoon(ws, CloseCode.SLOW_CONSUMER, closeReasons.slow);
    }
  }

  /**
   * Starts the closing handshake (so nothing more is buffered for the socket) and cuts the TCP
   * connection if the peer does not finish it quickly: a stuck reader must not hold memory.
   */
  private closeSoon(ws: WebSocket, code: number, reason: string): void {
    ws.close(code, reason);
    const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
    timer.unref();
    ws.once('close', () => clearTimeout(timer));
  }

  private beat(): void {
    for (const conn of this.connections.values()) {
      if (!conn.alive) {
        this.log.info({ conn: conn.id }, 'heartbeat missed, terminating');
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  /** Closes every connection with 1012 and waits for their cleanup to finish. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.ticker);
    const conns = [...this.connections.values()];
    const closed = conns.map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState === WebSocket.CLOSED) resolve();
          else conn.ws.once('close', () => resolve());
          this.closeSoon(conn.ws, CloseCode.RESTART, closeReasons.restart);
        }),
    );
    await Promise.all(closed);
    await Promise.all(conns.map((c) => c.chain));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
