import type { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
// Imported rather than read as a global: Node defines globalThis.performance as an accessor, and
// each use on the message path went through a global load (perf: LoadGlobalIC).
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, WebSocket, type RawData, type ServerOptions } from 'ws';
import type { Admission, Broker, Departure, Seating } from '../../domain/broker.js';
import type { Participant } from '../../domain/participant.js';
import type { Delivery } from '../../domain/roomEvent.js';
import type { Metrics } from '../../metrics.js';
import { CloseCode } from '../../protocol/closeCodes.js';
import { FrameError, type FrameErrorCode } from '../../protocol/errorCodes.js';
import { FRAME_ERROR_TEXT } from '../../protocol/errorTexts.js';
import { parseClientFrame, type ServerFrame } from '../../protocol/frames.js';
import { SYSTEM_SENDER, closeReasons, notices } from '../../protocol/notices.js';
import { FORBIDDEN_ORIGIN, refuseSocket } from '../refusal.js';
import type { CustomerGateVerdict } from '../widgetIdentity.js';
import type { VisitorIdentity } from '../../domain/visitorIdentity.js';
import type { AgentAuth, AgentCredential } from './agentAuth.js';
import type { AgentSockets } from './agentSockets.js';
import { Connection, closeSocket, type ConnectionContext } from './connection.js';
import { appearanceOf, parseConnectionQuery, type ConnectionQuery, type ConnectionRequest } from './connectionQuery.js';
import type { DeliveryRouter } from './deliveryRouter.js';
import { actOn } from './agentActions.js';
import { REFUSALS, departureOf } from './closeMeanings.js';
import { closeCodeOfWsError } from './errorCloses.js';
import { isOriginAllowed } from './originPolicy.js';
import type { PresenceBroadcaster } from './presenceBroadcaster.js';
import { TickCorks } from './tickCorks.js';

/** The gateway's bounds: on upgrades, frames and what a connection may leave unread. */
export interface GatewayOptions {
  maxPayloadBytes: number;
  maxMessageChars: number;
  maxBufferedBytes: number;
  rateBurst: number;
  ratePerSec: number;
  abuseBurst: number;
  allowedOrigins: string[];
  /** Ports our pages are served from, for the default origin policy. */
  pagePorts: () => number[];
  /** Checks a customer's signed identity before the query is read (widgetIdentity.ts): the close to send, or the identity verified. */
  customerGate?: (req: IncomingMessage) => CustomerGateVerdict | undefined;
}

/**
 * Bytes a frame may have before it is refused unread: JSON may write each character of neiRong
 * as an escaped surrogate pair (12 bytes), and the other fields (cid, type, to, a seed client's
 * shuiFaDe) and white space get room of their own.
 */
const MAX_BYTES_PER_CHAR = 12;
const FRAME_FIELDS_BYTES = 4096;

/**
 * History goes into a socket's buffer this much at a time while it catches up (see CatchUp), and
 * never more than half the slow-consumer bound, so live frames queued behind it have the rest.
 */
const CATCH_UP_BATCH_BYTES = 256 * 1024;

/**
 * At most this much of a tick's live frames (and never more than a quarter of the slow-consumer
 * bound) waits for the tick's end to leave in one write: a write in flight counts whole in
 * bufferedAmount until the socket took all of it (see Connection.sendFrame).
 */
const MAX_CORKED_BYTES = 64 * 1024;

/**
 * How long a socket told to close gets to finish the closing handshake before its TCP connection
 * is cut (ws's closeTimeout, so it holds for the closes ws sends itself too: 1002, 1007, 1009).
 */
const CLOSE_GRACE_MS = 1000;

/** A leave that failed (registry down) is retried this often, this many times. */
const LEAVE_RETRY_MS = 1000;
const LEAVE_RETRIES = 120;

/**
 * The WebSocket edge: validates upgrades and frames, admits connections through the broker and
 * hands it what they send, and has the router carry the broker's deliveries back to sockets.
 * Knows nothing of rooms itself. The heartbeat and the broker's timers are Housekeeping's.
 */
export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly context: ConnectionContext;
  /** Frames larger than this are refused unread. */
  private readonly maxFrameBytes: number;

  constructor(
    private readonly broker: Broker,
    private readonly agentAuth: AgentAuth,
    private readonly agentSockets: AgentSockets,
    private readonly router: DeliveryRouter,
    private readonly presence: PresenceBroadcaster,
    private readonly metrics: Metrics,
    private readonly options: GatewayOptions,
    private readonly log: Logger,
  ) {
    this.maxFrameBytes = options.maxMessageChars * MAX_BYTES_PER_CHAR + FRAME_FIELDS_BYTES;
    this.context = {
      maxBufferedBytes: options.maxBufferedBytes,
      corks: new TickCorks(),
      maxCorkedBytes: Math.min(MAX_CORKED_BYTES, Math.floor(options.maxBufferedBytes / 4)),
      catchUpBatchBytes: Math.min(CATCH_UP_BATCH_BYTES, Math.floor(options.maxBufferedBytes / 2)),
      metrics,
      log,
    };
    // closeTimeout (ws 8.19) is not in @types/ws yet.
    const serverOptions: ServerOptions & { closeTimeout: number } = {
      noServer: true,
      maxPayload: options.maxPayloadBytes,
      perMessageDeflate: false,
      clientTracking: false,
      closeTimeout: CLOSE_GRACE_MS,
    };
    this.wss = new WebSocketServer(serverOptions);
    this.wss.on('error', (err) => this.log.error({ err }, 'websocket server error'));
  }

  /** Number of open, admitted or pending, connections. */
  get size(): number {
    return this.router.size;
  }

  /**
   * One listener for every upgrading socket, made once: a closure made in handleUpgrade would
   * share its scope with the accept callback and keep the upgrade request (headers and all)
   * alive for as long as the socket lives.
   */
  private readonly onUpgradeSocketError = (err: Error): void => this.log.debug({ err }, 'upgrade socket error');

  /** A WebSocket's error: when ws closed it over a frame it refused, that close is counted too. */
  private readonly onSocketError = (err: Error): void => {
    this.log.debug({ err }, 'websocket error');
    const code = closeCodeOfWsError(err);
    if (code !== undefined) this.metrics.rejections.inc({ code: String(code) });
  };

  /** Handles an HTTP upgrade from either port; refuses cross-site origins with 403. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', this.onUpgradeSocketError);
    const allowed = isOriginAllowed(req.headers.origin, req.headers.host, {
      allowed: this.options.allowedOrigins,
      pagePorts: this.options.pagePorts,
    });
    if (!allowed) {
      this.log.warn({ origin: req.headers.origin }, 'websocket origin refused');
      refuseSocket(socket, FORBIDDEN_ORIGIN);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    ws.on('error', this.onSocketError);
    const gate = this.options.customerGate?.(req);
    if (gate && !gate.ok) {
      closeSocket(ws, gate.code, gate.reason, this.metrics);
      return;
    }
    const query = parseConnectionQuery(req.url);
    if (!query.ok) {
      closeSocket(ws, query.code, query.reason, this.metrics);
      return;
    }
    const request = query.request;
    // Read from the upgrade now, so the request (headers and all) is not kept for the socket's life.
    const credential = request.role === 'kefu' ? this.agentAuth.credentialOf(req, request) : undefined;
    if (credential && 'code' in credential) {
      closeSocket(ws, credential.code, credential.reason, this.metrics);
      return;
    }
    const conn = new Connection(this.router.nextSessionId(), ws, req.socket, request.role, request.version, this.options, Date.now(), this.context);
    this.router.add(conn);
    this.metrics.connections.inc({ role: conn.role });
    this.listen(conn);
    const identity = gate?.ok ? gate.identity : undefined;
    conn.enqueue(() =>
      request.role === 'kefu' ? this.admitAgent(conn, request, credential as AgentCredential) : this.admit(conn, request, undefined, identity),
    );
  }

  /**
   * The socket's listeners, made here rather than in accept: closures share their scope, and
   * made there they would keep the upgrade's request, credential and identity for the socket's life.
   */
  private listen(conn: Connection): void {
    const ws = conn.ws;
    ws.on('message', (data, isBinary) => this.onFrame(conn, data, isBinary));
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('close', (code) => this.onClose(conn, code));
  }

  /** An agent is authenticated first (session cookie or legacy key), then admitted as anyone is. */
  private async admitAgent(conn: Connection, query: ConnectionQuery & { role: 'kefu' }, credential: AgentCredential): Promise<void> {
    const agent = await this.agentAuth.authenticate(credential, query);
    if ('code' in agent) {
      conn.held = null;
      conn.close(agent.code, agent.reason);
      return;
    }
    if (agent.session) this.agentSockets.add(conn, agent.session.accountId, agent.session.record);
    await this.admit(conn, agent.request, { capacity: agent.capacity, inbox: conn.v2 });
  }

  /**
   * Asks the broker to admit the connection, then sends what the admission brought and the
   * frames that waited for it; a refusal closes the connection with its code. A customer whose
   * site signed their identity (`identity`) is shown to the agent as verified, with its e-mail.
   */
  private async admit(conn: Connection, request: ConnectionRequest, seating?: Seating, identity?: VisitorIdentity): Promise<void> {
    const appearance = appearanceOf(request, identity);
    let admission: Admission;
    try {
      admission =
        request.role === 'kefu'
          ? await this.broker.admitAgent(conn.id, request.name, request.since, appearance, seating)
          : 'resume' in request
            ? await this.broker.resumeCustomer(conn.id, request.name, request.resume, request.since, appearance)
            : await this.broker.admitCustomer(conn.id, request.name, request.ticket, appearance);
    } catch (err) {
      this.log.warn({ err, conn: conn.id }, 'admission failed: registry or store unavailable');
      conn.held = null;
      conn.close(CloseCode.TRY_AGAIN_LATER, closeReasons.unavailable);
      return;
    }
    if (!admission.ok) {
      conn.held = null;
      const [code, reason] = REFUSALS[admission.refusal];
      conn.close(code, reason);
      return;
    }
    const ws = conn.ws;
    conn.participant = admission.participant;
    if (request.locale !== undefined) conn.participant.locale = request.locale;
    this.log.info({ role: request.role, name: request.name, conn: conn.id }, 'joined');
    if (conn.v2 && request.role === 'kefu' && ws.readyState === WebSocket.OPEN) this.presence.watch(conn);
    this.presence.schedule();
    const held = conn.held ?? [];
    conn.held = null;
    this.router.deliver(admission.deliveries);
    // Live frames that raced the admission go after it, less those its replay already brought.
    for (const { event, data } of held) {
      if (event.kind === 'message' && event.seq !== undefined && event.conversationId !== undefined) {
        const upTo = admission.caughtUpTo.get(event.conversationId);
        if (upTo !== undefined && event.seq <= upTo) continue;
      }
      conn.sendEvent(event, data);
    }
    // The socket may have gone while the broker answered: its close found no participant yet.
    if (ws.readyState !== WebSocket.OPEN) await this.depart(conn, 'dropped');
  }

  private onFrame(conn: Connection, data: RawData, isBinary: boolean): void {
    // Decided to close: ws may still emit frames it read before the socket was paused.
    if (conn.closing) return;
    conn.alive = true;
    if (isBinary) {
      conn.close(CloseCode.UNSUPPORTED_DATA, closeReasons.binary);
      return;
    }
    const now = Date.now();
    // Checked before the frame is read, so no text, however built, is parsed beyond the budget.
    if (!conn.frames.take(now)) {
      this.reject(conn, FrameError.RATE_LIMITED, now);
      return;
    }
    // A text frame arrives as one Buffer (binaryType 'nodebuffer', ws's default).
    const bytes = data as Buffer;
    if (bytes.length > this.maxFrameBytes) {
      this.reject(conn, FrameError.TOO_LONG, now);
      return;
    }
    const parsed = parseClientFrame(bytes.toString(), this.options.maxMessageChars);
    // Typing frames have their own pace (one relayed a second), so they never use up the budget
    // of real messages; faster ones are dropped quietly but count as abuse.
    if (parsed.ok && parsed.value.kind === 'typing') {
      this.onTyping(conn, now, parsed.value.conversationId);
      return;
    }
    if (!conn.rate.take(now)) {
      // With its cid, so the page knows which message to send again later.
      const cid = parsed.ok ? ('cid' in parsed.value ? parsed.value.cid : undefined) : parsed.cid;
      this.reject(conn, FrameError.RATE_LIMITED, now, cid);
      return;
    }
    if (!parsed.ok) {
      this.reject(conn, parsed.error, now, parsed.cid, parsed.conversationId);
      return;
    }
    const frame = parsed.value;
    if (frame.kind === 'message') {
      this.postMessage(conn, frame.content, frame.cid, frame.conversationId);
      return;
    }
    if (frame.kind === 'image') {
      const started = performance.now();
      conn.enqueue(async () => {
        if (!conn.participant) return;
        const deliveries = await this.broker.sendImage(conn.participant, frame.imageId, frame.cid, frame.conversationId);
        this.router.deliver(deliveries);
        this.countPosted(deliveries, started);
      });
      return;
    }
    if (frame.kind === 'typing') return; // handled before the rate check
    conn.enqueue(async () => {
      const who = conn.participant;
      if (!who) return;
      const deliveries = await actOn(this.broker, who, frame);
      this.router.deliver(deliveries);
      for (const d of deliveries) if (d.event.kind === 'refused') this.metrics.rejections.inc({ code: d.event.error });
      // Who serves whom, and who takes customers, is what presence shows.
      if (frame.kind !== 'team') this.presence.schedule();
    });
  }

  /**
   * A chat message: handed to the broker at once, while the sender's earlier messages may still
   * be stored (Connection.pipeline), and its ack and relay sent in the order the frames came.
   */
  private postMessage(conn: Connection, content: string, cid: string | undefined, conversationId: string | undefined): void {
    const started = performance.now();
    conn.pipeline(
      async () => (conn.participant ? this.broker.postMessage(conn.participant, content, cid, conversationId) : []),
      (deliveries) => {
        this.router.deliver(deliveries);
        this.countPosted(deliveries, started);
      },
    );
  }

  private onTyping(conn: Connection, now: number, conversationId: string | undefined): void {
    if (!conn.takeTypingTurn(now)) {
      if (!conn.abuse.take(now)) conn.close(CloseCode.POLICY_VIOLATION, closeReasons.abuse);
      return;
    }
    conn.enqueue(async () => {
      if (conn.participant) this.router.deliver(await this.broker.typing(conn.participant, conversationId));
    });
  }

  /** Counts a message or image the broker took (its ack, its relay, the bot's answer) or refused. */
  private countPosted(deliveries: Delivery[], started: number): void {
    const answer = deliveries[1]?.event;
    if (answer?.kind === 'bot') this.metrics.botAnswers.inc({ matched: String(answer.matched) });
    const d = deliveries[0];
    if (d?.event.kind === 'message' && d.event.seq !== undefined) {
      this.metrics.acks.inc();
      if (d.to.length > 1) this.metrics.messages.inc();
      this.metrics.relayLatency.observe((performance.now() - started) / 1000);
    } else if (d?.event.kind === 'refused') {
      this.metrics.rejections.inc({ code: d.event.error });
    }
  }

  /** Tells the sender why a frame was dropped; too many of these and the connection goes. */
  private reject(conn: Connection, error: FrameErrorCode, now: number, cid?: string, conversationId?: string): void {
    this.metrics.rejections.inc({ code: error });
    if (!conn.abuse.take(now)) {
      conn.close(CloseCode.POLICY_VIOLATION, closeReasons.abuse);
      return;
    }
    const text = error === FrameError.TOO_LONG ? notices.tooLong(this.options.maxMessageChars) : FRAME_ERROR_TEXT[error];
    const frame: ServerFrame = { neiRong: text, shuiFaDe: SYSTEM_SENDER, type: 'error', error, ts: now };
    if (cid !== undefined) frame.cid = cid;
    if (conversationId !== undefined) frame.conversationId = conversationId;
    // Sent after the answers to the frames before it, so the client sees answers in the order it sent.
    conn.inTurn(() => conn.sendFrame(JSON.stringify(frame)));
  }

  /** `code` is the client's (or 1006): it tells a leave from a drop, and is counted nowhere. */
  private onClose(conn: Connection, code: number): void {
    conn.socketClosed();
    this.agentSockets.remove(conn);
    this.router.remove(conn);
    this.presence.unwatch(conn);
    this.metrics.connections.dec({ role: conn.role });
    conn.enqueue(() => this.depart(conn, departureOf(code)));
  }

  private async depart(conn: Connection, how: Departure): Promise<void> {
    const who = conn.participant;
    if (!who) return;
    conn.participant = undefined;
    this.log.info({ role: who.role, name: who.name, conn: conn.id, how }, 'left');
    await this.leave(who, how, LEAVE_RETRIES);
    this.presence.schedule();
  }

  /**
   * A leave must reach the registry, or the agent's name stays taken and the room stays held:
   * while Redis is down it is retried until it lands.
   */
  private async leave(who: Participant, how: Departure, retries: number): Promise<void> {
    try {
      this.router.deliver(await this.broker.leave(who, how));
    } catch (err) {
      if (retries <= 0) {
        this.log.error({ err, name: who.name }, 'leave failed for good');
        return;
      }
      const timer = setTimeout(() => void this.leave(who, how, retries - 1), LEAVE_RETRY_MS);
      timer.unref();
    }
  }

  /**
   * Closes every connection with 1012 and waits for their cleanup (their leaves) to finish. The
   * bus is closed after this, so peers on other nodes heard peer_away through it.
   */
  async close(): Promise<void> {
    const conns = [...this.router.all()];
    const closed = conns.map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState === WebSocket.CLOSED) resolve();
          else conn.ws.once('close', () => resolve());
          conn.close(CloseCode.RESTART, closeReasons.restart);
        }),
    );
    await Promise.all(closed);
    await Promise.all(conns.map((c) => c.chain));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
