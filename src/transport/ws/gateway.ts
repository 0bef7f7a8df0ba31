// Imported rather than read as globals: Node defines globalThis.Buffer and .performance as
// accessors, and each use on the message path went through a global load (perf: LoadGlobalIC).
import { Buffer } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData, type ServerOptions } from 'ws';
import type { Logger } from 'pino';
import type { Broker, Admission, Departure, Refusal } from '../../domain/broker.js';
import type { Participant } from '../../domain/participant.js';
import type { Delivery, RoomEvent } from '../../domain/roomEvent.js';
import { CloseCode } from '../../protocol/closeCodes.js';
import { FrameError, type FrameErrorCode } from '../../protocol/errorCodes.js';
import { FRAME_ERROR_TEXT } from '../../protocol/errorTexts.js';
import { parseClientFrame, type ServerFrame } from '../../protocol/frames.js';
import { SYSTEM_SENDER, closeReasons, notices } from '../../protocol/notices.js';
import { parseConnectionQuery } from './connectionQuery.js';
import { encodeEvent, type ImageUrlOf } from './encodeEvent.js';
import { isOriginAllowed } from './originPolicy.js';
import { FORBIDDEN_ORIGIN, refuseSocket } from '../refusal.js';
import { TokenBucket } from './tokenBucket.js';
import { CatchUp } from './catchUp.js';
import { closeCodeOfWsError } from './errorCloses.js';
import type { AgentKey } from '../agentKey.js';
import { nodeOfSession, type Bus } from '../bus/bus.js';
import { isPending, type Awaitable } from '../../awaitable.js';
import type { Metrics } from '../../metrics.js';

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
  /** The URL an image message's frame carries. */
  imageUrl?: ImageUrlOf;
}

/** One WebSocket and what we know about it. */
interface Connection {
  id: string;
  ws: WebSocket;
  /** Set once the broker admitted the connection. */
  participant?: Participant;
  role: 'kefu' | 'yonghu';
  /**
   * Frames for this connection that arrive while it is being admitted wait here, so the
   * admission's own frames (greeting, replay) go first; null once admitted.
   */
  held: Array<{ event: RoomEvent; data: string | Buffer }> | null;
  /** Cleared on every ping, set by the pong (or any frame): a dead peer misses one round. */
  alive: boolean;
  /** Set once the server decided to close it: nothing it sends is handled any more. */
  closing: boolean;
  /** Work for this connection runs in arrival order, even though the broker is async. */
  chain: Promise<void>;
  /** Tasks queued or running; at 0 a new task starts at once instead of behind the chain. */
  busy: number;
  /** Every frame spends from this before it is read (see TYPING_ALLOWANCE). */
  frames: TokenBucket;
  /** Messages and the other frames that are not typing spend from this once read. */
  rate: TokenBucket;
  /** Rejected frames spend from this bucket; empty means sustained abuse. */
  abuse: TokenBucket;
  /**
   * The client speaks protocol 2 (`v=2` in the query): it gets typing, presence and team frames.
   * Seed clients render every frame as a chat line, so they never get these.
   */
  v2: boolean;
  /** When this connection's last typing frame was relayed: at most one a second goes through. */
  typingAt: number;
  /** The presence snapshot this agent's console last got (compared by identity of its text). */
  presenceSent?: string;
  /**
   * The connection this one's last message went to (its peer), so the next relay needs no map
   * lookup; checked against the addressee's id and its socket's state before use. A peer that
   * closed is held until this connection's next message or its own close: at most one per connection.
   */
  peer?: Connection;
  /** History being sent as the reader takes it, and live frames behind it; null when none (the usual case). */
  backlog: CatchUp | null;
}

/** Frames only protocol-2 clients get. */
const V2_ONLY = new Set<RoomEvent['kind']>(['typing', 'presence', 'team', 'rated', 'offline_messages', 'bot_history']);

/** Send options for a frame already encoded to UTF-8 bytes: still a text frame. */
const TEXT_FRAME = { binary: false } as const;

/** A typing relay per connection at most this often. */
const TYPING_INTERVAL_MS = 1000;

/**
 * What a connection's frame budget, spent before a frame is read, allows beyond its message
 * budget: room for typing frames, which keep their own pace (one relayed a second) and never
 * spend the message budget. How a frame is told apart takes a parse, so the parse itself is
 * bounded by the two budgets together rather than by nothing.
 */
const TYPING_ALLOWANCE = { burst: 3, perSec: 1000 / TYPING_INTERVAL_MS };

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
 * Closes for what the peer did: from then on its bytes are not even read, its answer to the close
 * included, so the TCP connection goes when the close grace ends. Other closes (restart, replaced,
 * dismissed) let a well-behaved client finish the closing handshake.
 */
const STOP_READING = new Set<number>([CloseCode.UNSUPPORTED_DATA, CloseCode.POLICY_VIOLATION, CloseCode.SLOW_CONSUMER]);

/** Presence changes within this window go out as one frame. */
const PRESENCE_DEBOUNCE_MS = 100;

const REFUSALS: Record<Refusal, [number, string]> = {
  name_taken: [CloseCode.NAME_TAKEN, closeReasons.nameTaken],
  unknown_ticket: [CloseCode.UNAUTHORIZED, closeReasons.unknownTicket],
  expired_ticket: [CloseCode.UNAUTHORIZED, closeReasons.expiredTicket],
  wrong_name: [CloseCode.UNAUTHORIZED, closeReasons.wrongName],
  bad_resume: [CloseCode.UNAUTHORIZED, closeReasons.badResume],
  queue_full: [CloseCode.QUEUE_FULL, closeReasons.queueFull],
};

/** Close codes that mean the person left on purpose (the page's disconnect button). */
function departureOf(code: number): Departure {
  return code === 1000 || code === 1005 ? 'deliberate' : 'dropped';
}

/**
 * How long a socket told to close gets to finish the closing handshake before its TCP connection
 * is cut (ws's closeTimeout, so it holds for the closes ws sends itself too: 1002, 1007, 1009).
 */
const CLOSE_GRACE_MS = 1000;

/** A leave that failed (registry down) is retried this often, this many times. */
const LEAVE_RETRY_MS = 1000;
const LEAVE_RETRIES = 120;

/** After the bus comes back, rebuilding rooms from the store is retried this often, this many times. */
const RESTORE_RETRY_MS = 200;
const RESTORE_RETRIES = 50;

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
  /** Admitted agents on this node whose consoles show presence. */
  private readonly presenceWatchers = new Set<Connection>();
  private presenceTimer: NodeJS.Timeout | undefined;
  /** Session ids are `NODE.N`: an addressee's node is read off its id. */
  private readonly localPrefix: string;
  /** The only node (the in-process bus): every addressee is local, no id needs reading. */
  private readonly alone: boolean;
  /** Frames larger than this are refused unread. */
  private readonly maxFrameBytes: number;
  private readonly catchUpBatchBytes: number;

  constructor(
    private readonly broker: Broker,
    private readonly agentKey: AgentKey,
    private readonly bus: Bus,
    private readonly metrics: Metrics,
    private readonly options: GatewayOptions,
    private readonly log: Logger,
  ) {
    this.localPrefix = `${bus.nodeId}.`;
    this.alone = bus.alone === true;
    this.maxFrameBytes = options.maxMessageChars * MAX_BYTES_PER_CHAR + FRAME_FIELDS_BYTES;
    this.catchUpBatchBytes = Math.min(CATCH_UP_BATCH_BYTES, Math.floor(options.maxBufferedBytes / 2));
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
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
    this.ticker = setInterval(() => {
      this.tick().catch((err: unknown) => this.log.warn({ err }, 'broker tick failed'));
    }, options.tickMs);
    this.ticker.unref();
  }

  /** Starts receiving deliveries other nodes address to our connections. */
  async start(): Promise<void> {
    await this.bus.start(
      (deliveries) => this.deliverLocal(deliveries),
      () => {
        // Frames from other nodes may have been lost in the outage, and a Redis that restarted
        // empty has lost the rooms: rebuild rooms for open conversations from the store, then
        // have every client here reconnect and resume from the store, which has all that was acked.
        this.log.warn('bus reconnected; restoring rooms and asking clients to resume');
        void this.restoreThenResume(RESTORE_RETRIES);
      },
    );
  }

  /**
   * The registry's own connection may come back a moment after the bus's: retry the restore
   * until it lands, and only then send the clients back, so they find their rooms.
   */
  private async restoreThenResume(retries: number): Promise<void> {
    try {
      await this.broker.restore();
    } catch (err) {
      if (retries > 0) {
        const timer = setTimeout(() => void this.restoreThenResume(retries - 1), RESTORE_RETRY_MS);
        timer.unref();
        return;
      }
      this.log.error({ err }, 'restore after reconnect failed');
    }
    for (const conn of this.connections.values()) this.closeConnection(conn, CloseCode.TRY_AGAIN_LATER, closeReasons.unavailable);
  }

  /** Timers of the domain (grace, queue, tickets), and the cleanup of nodes that died. */
  private async tick(): Promise<void> {
    this.deliver(await this.broker.tick());
    // Other nodes change presence too: polled here, sent only where it changed.
    this.schedulePresence();
    for (const node of await this.bus.claimDeadNodes()) {
      this.log.warn({ node }, 'node died; its people are treated as dropped');
      this.deliver(await this.broker.nodeDied(node));
    }
  }

  /** Sends deliveries that arose outside a socket (an HTTP request: a rating, an offline message). */
  dispatch(deliveries: Delivery[]): void {
    this.deliver(deliveries);
  }

  /** Number of open, admitted or pending, connections. */
  get size(): number {
    return this.connections.size;
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
    const query = parseConnectionQuery(req.url);
    if (!query.ok) {
      this.closeSocket(ws, query.code, query.reason);
      return;
    }
    const request = query.request;
    if (request.role === 'kefu' && !this.agentKey.matches(request.key)) {
      this.closeSocket(ws, CloseCode.UNAUTHORIZED, closeReasons.badKey);
      return;
    }
    const now = Date.now();
    const conn: Connection = {
      id: `${this.localPrefix}${this.nextId++}`,
      ws,
      role: request.role,
      alive: true,
      closing: false,
      held: [],
      chain: Promise.resolve(),
      busy: 0,
      frames: new TokenBucket(this.options.rateBurst + TYPING_ALLOWANCE.burst, this.options.ratePerSec + TYPING_ALLOWANCE.perSec, now),
      rate: new TokenBucket(this.options.rateBurst, this.options.ratePerSec, now),
      abuse: new TokenBucket(this.options.abuseBurst, 1, now),
      v2: request.version >= 2,
      typingAt: 0,
      // Set from the start, so every connection object keeps one shape.
      presenceSent: undefined,
      peer: undefined,
      backlog: null,
    };
    this.connections.set(conn.id, conn);
    this.metrics.connections.inc({ role: conn.role });
    ws.on('message', (data, isBinary) => this.onFrame(conn, data, isBinary));
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('close', (code) => this.onClose(conn, code));
    const appearance = request.avatar === undefined ? {} : { avatar: request.avatar };
    this.enqueue(conn, async () => {
      let admission: Admission;
      try {
        admission =
          request.role === 'kefu'
            ? await this.broker.admitAgent(conn.id, request.name, request.since, appearance)
            : 'resume' in request
              ? await this.broker.resumeCustomer(conn.id, request.name, request.resume, request.since, appearance)
              : await this.broker.admitCustomer(conn.id, request.name, request.ticket, appearance);
      } catch (err) {
        this.log.warn({ err, conn: conn.id }, 'admission failed: registry or store unavailable');
        conn.held = null;
        this.closeConnection(conn, CloseCode.TRY_AGAIN_LATER, closeReasons.unavailable);
        return;
      }
      if (!admission.ok) {
        conn.held = null;
        const [code, reason] = REFUSALS[admission.refusal];
        this.closeConnection(conn, code, reason);
        return;
      }
      conn.participant = admission.participant;
      this.log.info({ role: request.role, name: request.name, conn: conn.id }, 'joined');
      if (conn.v2 && request.role === 'kefu' && ws.readyState === WebSocket.OPEN) this.presenceWatchers.add(conn);
      this.schedulePresence();
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
    // Decided to close: ws may still emit frames it read before the socket was paused.
    if (conn.closing) return;
    conn.alive = true;
    if (isBinary) {
      this.closeConnection(conn, CloseCode.UNSUPPORTED_DATA, closeReasons.binary);
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
      this.onTyping(conn, now);
      return;
    }
    if (!conn.rate.take(now)) {
      // With its cid, so the page knows which message to send again later.
      const cid = parsed.ok ? ('cid' in parsed.value ? parsed.value.cid : undefined) : parsed.cid;
      this.reject(conn, FrameError.RATE_LIMITED, now, cid);
      return;
    }
    if (!parsed.ok) {
      this.reject(conn, parsed.error, now, parsed.cid);
      return;
    }
    const frame = parsed.value;
    if (frame.kind === 'message') {
      const { content, cid } = frame;
      const started = performance.now();
      // Nothing queued ahead (the usual case): sent now, without a task closure; with in-process
      // backends the broker answers at once and the whole message is handled synchronously.
      if (conn.busy === 0) this.settle(conn, this.sendMessage(conn, content, cid, started));
      else this.enqueue(conn, () => this.sendMessage(conn, content, cid, started));
      return;
    }
    if (frame.kind === 'image') {
      const started = performance.now();
      this.enqueue(conn, async () => {
        if (!conn.participant) return;
        const deliveries = await this.broker.sendImage(conn.participant, frame.imageId, frame.cid);
        this.deliver(deliveries);
        this.countSend(deliveries, started);
      });
      return;
    }
    if (frame.kind === 'typing') return; // handled before the rate check
    this.enqueue(conn, async () => {
      const who = conn.participant;
      if (!who) return;
      const deliveries = frame.kind === 'team' ? await this.broker.teamMessage(who, frame.content, frame.cid, frame.to) : await this.broker.transfer(who, frame.to);
      this.deliver(deliveries);
      for (const d of deliveries) if (d.event.kind === 'refused') this.metrics.rejections.inc({ code: d.event.error });
      if (frame.kind === 'transfer') this.schedulePresence();
    });
  }

  /** A chat message: handed to the broker, and its deliveries sent (at once when it answers at once). */
  private sendMessage(conn: Connection, content: string, cid: string | undefined, started: number): Awaitable<void> {
    const who = conn.participant;
    if (!who) return;
    // Caught here as enqueue would: this also runs outside it, straight from onFrame.
    try {
      const deliveries = this.broker.postMessage(who, content, cid);
      if (isPending(deliveries)) return Promise.resolve(deliveries).then((settled) => this.sent(conn, settled, started));
      this.sent(conn, deliveries, started);
    } catch (err) {
      this.taskFailed(conn, err);
    }
  }

  private sent(conn: Connection, deliveries: Delivery[], started: number): void {
    this.deliver(deliveries, conn);
    this.countSend(deliveries, started);
  }

  private onTyping(conn: Connection, now: number): void {
    if (now - conn.typingAt < TYPING_INTERVAL_MS) {
      if (!conn.abuse.take(now)) this.closeConnection(conn, CloseCode.POLICY_VIOLATION, closeReasons.abuse);
      return;
    }
    conn.typingAt = now;
    this.enqueue(conn, async () => {
      if (conn.participant) this.deliver(await this.broker.typing(conn.participant));
    });
  }

  /** Recomputes presence soon; several changes in a burst make one frame. */
  private schedulePresence(): void {
    if (this.presenceTimer !== undefined || this.presenceWatchers.size === 0) return;
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = undefined;
      this.pushPresence().catch((err: unknown) => this.log.warn({ err }, 'presence failed'));
    }, PRESENCE_DEBOUNCE_MS);
    this.presenceTimer.unref();
  }

  /** Sends the presence snapshot to every watching console that has not seen this one yet. */
  private async pushPresence(): Promise<void> {
    if (this.presenceWatchers.size === 0) return;
    const event = await this.broker.presence();
    const data = JSON.stringify(encodeEvent(event, Date.now()));
    // The frame's text and lists, without its timestamp, say whether anything changed.
    const key = JSON.stringify([event.agents, event.waiting]);
    for (const conn of this.presenceWatchers) {
      if (conn.presenceSent === key) continue;
      conn.presenceSent = key;
      this.send(conn, data);
    }
  }

  private countSend(deliveries: Delivery[], started: number): void {
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
  private reject(conn: Connection, error: FrameErrorCode, now: number, cid?: string): void {
    this.metrics.rejections.inc({ code: error });
    if (!conn.abuse.take(now)) {
      this.closeConnection(conn, CloseCode.POLICY_VIOLATION, closeReasons.abuse);
      return;
    }
    const text = error === FrameError.TOO_LONG ? notices.tooLong(this.options.maxMessageChars) : FRAME_ERROR_TEXT[error];
    const frame: ServerFrame = { neiRong: text, shuiFaDe: SYSTEM_SENDER, type: 'error', error, ts: now };
    if (cid !== undefined) frame.cid = cid;
    // Queued behind the frames before it, so the client sees answers in the order it sent.
    this.enqueue(conn, async () => this.send(conn, JSON.stringify(frame)));
  }

  /** `code` is the client's (or 1006): it tells a leave from a drop, and is counted nowhere. */
  private onClose(conn: Connection, code: number): void {
    conn.peer = undefined;
    conn.backlog?.stop();
    conn.backlog = null;
    this.connections.delete(conn.id);
    this.presenceWatchers.delete(conn);
    this.metrics.connections.dec({ role: conn.role });
    this.enqueue(conn, () => this.depart(conn, departureOf(code)));
  }

  private async depart(conn: Connection, how: Departure): Promise<void> {
    const who = conn.participant;
    if (!who) return;
    conn.participant = undefined;
    this.log.info({ role: who.role, name: who.name, conn: conn.id, how }, 'left');
    await this.leave(who, how, LEAVE_RETRIES);
    this.schedulePresence();
  }

  /**
   * A leave must reach the registry, or the agent's name stays taken and the room stays held:
   * while Redis is down it is retried until it lands.
   */
  private async leave(who: Participant, how: Departure, retries: number): Promise<void> {
    try {
      this.deliver(await this.broker.leave(who, how));
    } catch (err) {
      if (retries <= 0) {
        this.log.error({ err, name: who.name }, 'leave failed for good');
        return;
      }
      const timer = setTimeout(() => void this.leave(who, how, retries - 1), LEAVE_RETRY_MS);
      timer.unref();
    }
  }

  private enqueue(conn: Connection, task: () => Awaitable<void>): void {
    if (conn.busy > 0) {
      this.track(conn, conn.chain.then(task));
      return;
    }
    // Nothing ahead of it: it starts now, and if it also finishes now there is nothing to chain.
    let run: Awaitable<void>;
    try {
      run = task();
    } catch (err) {
      this.taskFailed(conn, err);
      return;
    }
    this.settle(conn, run);
  }

  private taskFailed(conn: Connection, err: unknown): void {
    this.log.error({ err, conn: conn.id }, 'connection task failed');
  }

  /** A task that started at once: if it did not also finish at once, later tasks wait for it. */
  private settle(conn: Connection, run: Awaitable<void>): void {
    if (isPending(run)) this.track(conn, Promise.resolve(run));
  }

  /** Keeps a pending task as the one later tasks of this connection wait for. */
  private track(conn: Connection, run: Promise<void>): void {
    conn.busy++;
    conn.chain = run.then(
      () => {
        conn.busy--;
      },
      (err: unknown) => {
        conn.busy--;
        this.taskFailed(conn, err);
      },
    );
  }

  /**
   * Sends deliveries: ours directly, the others' to their node over the bus. `origin`, the
   * connection whose frame caused them, is found without a lookup (it is usually addressed).
   */
  private deliver(deliveries: Delivery[], origin?: Connection): void {
    // One node (the default): every addressee is ours.
    if (this.alone || this.allLocal(deliveries)) {
      this.deliverLocal(deliveries, origin);
      return;
    }
    const isLocal = (id: string) => id.startsWith(this.localPrefix);
    const local: Delivery[] = [];
    const remote = new Map<string, Delivery[]>();
    for (const d of deliveries) {
      const mine = d.to.filter(isLocal);
      if (mine.length > 0) local.push(mine.length === d.to.length ? d : { to: mine, event: d.event });
      for (const id of d.to) {
        if (isLocal(id)) continue;
        const node = nodeOfSession(id);
        const list = remote.get(node) ?? [];
        list.push({ to: [id], event: d.event });
        remote.set(node, list);
      }
    }
    this.deliverLocal(local, origin);
    for (const [node, list] of remote) {
      this.bus.publish(node, list).catch((err: unknown) => this.log.warn({ err, node }, 'bus send failed'));
    }
  }

  private allLocal(deliveries: Delivery[]): boolean {
    for (const d of deliveries) for (const id of d.to) if (!id.startsWith(this.localPrefix)) return false;
    return true;
  }

  /** Sends each delivery's frame, encoded once, to every addressee still connected here. */
  private deliverLocal(deliveries: Delivery[], origin?: Connection): void {
    const now = Date.now();
    for (const { event, to } of deliveries) {
      if (event.kind === 'replaced') {
        for (const id of to) this.endConnection(id, CloseCode.REPLACED, closeReasons.replaced);
        continue;
      }
      const text = JSON.stringify(encodeEvent(event, now, this.options.imageUrl));
      // An echo and its relay: the frame is turned into bytes once, not once per socket.
      const data = to.length > 1 ? Buffer.from(text) : text;
      for (const id of to) {
        const conn = this.addressee(id, origin);
        if (!conn) continue;
        if (conn.held) conn.held.push({ event, data });
        else this.sendEvent(conn, event, data);
      }
    }
  }

  /**
   * The connection `id` names, if still open here. A message's addressees are its sender (the
   * echo) and the sender's peer: both are found without a map lookup, the peer through the
   * sender's `peer`. A closed origin is no longer in the map; sending to it is a no-op either way.
   */
  private addressee(id: string, origin: Connection | undefined): Connection | undefined {
    if (origin === undefined) return this.connections.get(id);
    if (id === origin.id) return origin;
    const cached = origin.peer;
    // CLOSED is set as the close event (which takes a connection out of the map) is emitted.
    if (cached !== undefined && cached.id === id && cached.ws.readyState !== WebSocket.CLOSED) return cached;
    const conn = this.connections.get(id);
    // Not kept on a closed origin: onClose already let go of its peer, and nothing would clear it again.
    if (origin.ws.readyState !== WebSocket.CLOSED) origin.peer = conn;
    return conn;
  }

  /** Sends one encoded event and applies what it means for the connection. */
  private sendEvent(conn: Connection, event: RoomEvent, data: string | Buffer): void {
    // Messages go to every client version: the set lookup is skipped on the hot path.
    if (event.kind === 'message') {
      // History (a resume's missed messages, a conversation handed over) goes as the reader takes it.
      if (event.replay === true) this.sendHistory(conn, data);
      else this.send(conn, data);
      return;
    }
    if (!conn.v2 && V2_ONLY.has(event.kind)) return;
    if (event.kind === 'team' && event.replay === true) {
      this.sendHistory(conn, data);
      return;
    }
    // A waiting customer was placed: their messages now go to this room.
    if (event.kind === 'agent_assigned' && conn.participant) {
      conn.participant.room = event.agent;
      delete conn.participant.conversationId;
    }
    // Handed back to the queue: waiting again (the bot answers), for the same conversation.
    if (event.kind === 'requeued' && conn.participant) {
      delete conn.participant.room;
      conn.participant.conversationId = event.conversationId;
    }
    if (event.kind === 'dismissed') {
      // Dealt with by the domain now; closed once the close command is out, after whatever
      // history was still on its way to them.
      conn.participant = undefined;
      const reason = event.reason === 'agent_left' ? closeReasons.agentLeft : closeReasons.queueTimeout;
      this.send(conn, data, () => this.closeConnection(conn, CloseCode.NORMAL, reason));
      return;
    }
    this.send(conn, data);
  }

  /** Closes a connection whose participant is already dealt with, so its close changes nothing. */
  private endConnection(id: string, code: number, reason: string): void {
    const conn = this.connections.get(id);
    if (!conn) return;
    conn.participant = undefined;
    this.closeConnection(conn, code, reason);
  }

  /**
   * Sends a live frame: at once, or behind the history still on its way. Either way a reader
   * that lets live frames pile up past the bound is cut. `then` runs once the frame is sent.
   */
  private send(conn: Connection, data: string | Buffer, then?: () => void): void {
    const ws = conn.ws;
    const backlog = conn.backlog;
    if (backlog !== null) {
      backlog.live(data, then);
      if (ws.bufferedAmount + backlog.liveBytes > this.options.maxBufferedBytes) this.cutSlowConsumer(conn);
      return;
    }
    if (ws.readyState === WebSocket.OPEN) {
      if (typeof data === 'string') ws.send(data);
      else ws.send(data, TEXT_FRAME);
      if (ws.bufferedAmount > this.options.maxBufferedBytes) this.cutSlowConsumer(conn);
    }
    if (then !== undefined) then();
  }

  /**
   * Sends history paced by the reader (see CatchUp): never cut by the slow-consumer bound, and
   * the live frames that arrive meanwhile wait behind it.
   */
  private sendHistory(conn: Connection, data: string | Buffer): void {
    if (conn.closing || conn.ws.readyState !== WebSocket.OPEN) return;
    let backlog = conn.backlog;
    if (backlog === null) {
      const created = new CatchUp(conn.ws, this.catchUpBatchBytes, () => {
        if (conn.backlog === created) conn.backlog = null;
      });
      backlog = conn.backlog = created;
    }
    backlog.history(data);
  }

  private cutSlowConsumer(conn: Connection): void {
    this.log.warn({ conn: conn.id, buffered: conn.ws.bufferedAmount, queued: conn.backlog?.liveBytes ?? 0 }, 'slow consumer cut');
    this.closeConnection(conn, CloseCode.SLOW_CONSUMER, closeReasons.slow);
  }

  /**
   * Every close the server decides for a connection goes through here. From now on nothing it
   * sends is handled, history still waiting for it is dropped, and after a close for what the
   * peer did (STOP_READING) its bytes are not even read. If the closing handshake has not
   * finished within CLOSE_GRACE_MS, ws cuts the TCP connection (its closeTimeout): a stuck
   * reader or a client that ignores the close must not hold memory or a core.
   */
  private closeConnection(conn: Connection, code: number, reason: string): void {
    if (conn.closing) return;
    conn.closing = true;
    conn.backlog?.stop();
    conn.backlog = null;
    // A client already closing chose its code and gets its handshake finished.
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    if (STOP_READING.has(code)) conn.ws.pause();
    this.closeSocket(conn.ws, code, reason);
  }

  /**
   * The one place close frames are sent from, counted by their code (a normal end, 1000, is not
   * a rejection). A socket the client is already closing gets none: the client chose that code.
   */
  private closeSocket(ws: WebSocket, code: number, reason: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (code !== CloseCode.NORMAL) this.metrics.rejections.inc({ code: String(code) });
    ws.close(code, reason);
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
    clearTimeout(this.presenceTimer);
    const conns = [...this.connections.values()];
    const closed = conns.map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState === WebSocket.CLOSED) resolve();
          else conn.ws.once('close', () => resolve());
          this.closeConnection(conn, CloseCode.RESTART, closeReasons.restart);
        }),
    );
    await Promise.all(closed);
    await Promise.all(conns.map((c) => c.chain));
    // After the leaves above, so peers on other nodes heard peer_away through it.
    await this.bus.close();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
