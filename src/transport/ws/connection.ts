import type { Buffer } from 'node:buffer';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import type { Participant } from '../../domain/participant.js';
import type { RoomEvent } from '../../domain/roomEvent.js';
import type { Metrics } from '../../metrics.js';
import { CloseCode } from '../../protocol/closeCodes.js';
import { closeReasons } from '../../protocol/notices.js';
import { CatchUp } from './catchUp.js';
import type { Corked, TickCorks } from './tickCorks.js';
import { TokenBucket } from './tokenBucket.js';

/** What every connection of one gateway shares: the bounds on what it is sent, and where it reports. */
export interface ConnectionContext {
  /** A reader that lets this many bytes of live frames pile up is cut (4008). */
  maxBufferedBytes: number;
  /** Live frames to one socket in one tick go out in one write... */
  corks: TickCorks;
  /** ...up to this many bytes: past it they leave at once (see sendFrame). */
  maxCorkedBytes: number;
  /** History goes into a socket's buffer this much at a time while it catches up (see CatchUp). */
  catchUpBatchBytes: number;
  metrics: Metrics;
  log: Logger;
}

/** How fast a connection may send: its message budget, and how many rejected frames it is forgiven. */
export interface ConnectionRates {
  rateBurst: number;
  ratePerSec: number;
  abuseBurst: number;
}

/** Frames only protocol-2 clients get. */
const V2_ONLY = new Set<RoomEvent['kind']>(['typing', 'presence', 'team', 'rated', 'offline_messages', 'bot_history', 'inbox']);

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
 * Closes for what the peer did: from then on its bytes are not even read, its answer to the close
 * included, so the TCP connection goes when the close grace ends. Other closes (restart, replaced,
 * dismissed) let a well-behaved client finish the closing handshake.
 */
const STOP_READING = new Set<number>([CloseCode.UNSUPPORTED_DATA, CloseCode.POLICY_VIOLATION, CloseCode.SLOW_CONSUMER]);

/**
 * The one place close frames are sent from, counted by their code (a normal end, 1000, is not
 * a rejection); sockets refused before they became a Connection (a bad query, a wrong key) are
 * closed here too. A socket the client is already closing gets none: the client chose that code.
 */
export function closeSocket(ws: WebSocket, code: number, reason: string, metrics: Metrics): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  if (code !== CloseCode.NORMAL) metrics.rejections.inc({ code: String(code) });
  ws.close(code, reason);
}

/**
 * One WebSocket and what we know about it: who it is once admitted, the work it started (its
 * messages in flight together, answered in arrival order), its budgets, and how frames reach
 * it. Every close the server decides for it goes through `close`.
 */
export class Connection implements Corked {
  /** Set once the broker admitted the connection. */
  participant: Participant | undefined = undefined;
  /**
   * Frames for this connection that arrive while it is being admitted wait here, so the
   * admission's own frames (greeting, replay) go first; null once admitted.
   */
  held: Array<{ event: RoomEvent; data: string | Buffer }> | null = [];
  /** Cleared on every ping, set by the pong (or any frame): a dead peer misses one round. */
  alive = true;
  /** The step of the heartbeat's round that pings it (Housekeeping); -1 until the heartbeat first sees it. */
  heartbeatSlot = -1;
  /** Set once the server decided to close it: nothing it sends is handled any more. */
  closing = false;
  /**
   * The work this connection started, in arrival order: settles once the latest of it is done
   * and its frames are sent (see pipeline and enqueue).
   */
  chain: Promise<void> = Promise.resolve();
  /** The latest task started by enqueue, until it is done: later work waits for it. */
  private barrier: Promise<void> | null = null;
  /** Every frame spends from this before it is read (see TYPING_ALLOWANCE). */
  readonly frames: TokenBucket;
  /** Messages and the other frames that are not typing spend from this once read. */
  readonly rate: TokenBucket;
  /** Rejected frames spend from this bucket; empty means sustained abuse. */
  readonly abuse: TokenBucket;
  /**
   * The client speaks protocol 2 (`v=2` in the query): it gets typing, presence and team frames.
   * Seed clients render every frame as a chat line, so they never get these.
   */
  readonly v2: boolean;
  /** When this connection's last typing frame was relayed: at most one a second goes through. */
  private typingAt = 0;
  /** Its socket holds the live frames of this tick, to write them at once at its end (TickCorks). */
  private corked = false;
  /** History being sent as the reader takes it, and live frames behind it; null when none (the usual case). */
  private backlog: CatchUp | null = null;

  constructor(
    readonly id: string,
    readonly ws: WebSocket,
    /** The TCP socket under `ws`. */
    private readonly socket: Duplex,
    readonly role: 'kefu' | 'yonghu',
    version: number,
    rates: ConnectionRates,
    now: number,
    private readonly context: ConnectionContext,
  ) {
    this.frames = new TokenBucket(rates.rateBurst + TYPING_ALLOWANCE.burst, rates.ratePerSec + TYPING_ALLOWANCE.perSec, now);
    this.rate = new TokenBucket(rates.rateBurst, rates.ratePerSec, now);
    this.abuse = new TokenBucket(rates.abuseBurst, 1, now);
    this.v2 = version >= 2;
  }

  /**
   * A chat message: `work` (an async function) starts at once, while this connection's earlier
   * messages may still be in flight (the store numbers appends in the order they are called, so
   * seq order is arrival order), but never before a task of `enqueue` is done. `deliver` gets
   * its result once everything that arrived before it was delivered.
   */
  pipeline<T>(work: () => Promise<T>, deliver: (result: T) => void): void {
    const result = this.barrier === null ? work() : this.barrier.then(work);
    // A failure is logged in its turn below, not reported as unhandled before its turn comes.
    result.catch(() => {});
    this.chain = this.chain.then(async () => deliver(await result)).catch(this.taskFailed);
  }

  /** Runs `send` once everything that arrived before it was delivered; later work does not wait for it. */
  inTurn(send: () => void): void {
    this.chain = this.chain.then(send).catch(this.taskFailed);
  }

  /**
   * A frame that changes what comes after it (admission, transfer, team, image, typing, leave):
   * `task` runs once everything before it is done and delivered, and everything after it waits
   * for it. One that fails is logged and the next still runs.
   */
  enqueue(task: () => Promise<void>): void {
    const run: Promise<void> = this.chain
      .then(task)
      .catch(this.taskFailed)
      .finally(() => {
        if (this.barrier === run) this.barrier = null;
      });
    this.chain = this.barrier = run;
  }

  /** Logs work of this connection that threw or rejected. */
  private readonly taskFailed = (err: unknown): void => {
    this.context.log.error({ err, conn: this.id }, 'connection task failed');
  };

  /** Whether a typing frame arriving `now` is relayed: one per TYPING_INTERVAL_MS, the first of them. */
  takeTypingTurn(now: number): boolean {
    if (now - this.typingAt < TYPING_INTERVAL_MS) return false;
    this.typingAt = now;
    return true;
  }

  /** Sends one encoded event and applies what it means for the connection. */
  sendEvent(event: RoomEvent, data: string | Buffer): void {
    // Messages go to every client version: the set lookup is skipped on the hot path.
    if (event.kind === 'message') {
      // History (a resume's missed messages, a conversation handed over) goes as the reader takes it.
      if (event.replay === true) this.sendHistory(data);
      else this.sendFrame(data);
      return;
    }
    if (!this.v2 && V2_ONLY.has(event.kind)) return;
    if (event.kind === 'team' && event.replay === true) {
      this.sendHistory(data);
      return;
    }
    // A waiting customer was placed: their messages now go to this room.
    if (event.kind === 'agent_assigned' && this.participant) {
      this.participant.room = event.agent;
      delete this.participant.conversationId;
    }
    // Handed back to the queue: waiting again (the bot answers), for the same conversation.
    if (event.kind === 'requeued' && this.participant) {
      delete this.participant.room;
      this.participant.conversationId = event.conversationId;
    }
    if (event.kind === 'dismissed') {
      // Dealt with by the domain now; closed once the close command is out, after whatever
      // history was still on its way to them.
      this.participant = undefined;
      const reason = event.reason === 'agent_left' ? closeReasons.agentLeft : closeReasons.queueTimeout;
      this.sendFrame(data, () => this.close(CloseCode.NORMAL, reason));
      return;
    }
    this.sendFrame(data);
  }

  /**
   * Sends a live frame: at once, or behind the history still on its way. Either way a reader
   * that lets live frames pile up past the bound is cut. `then` runs once the frame is sent.
   */
  sendFrame(data: string | Buffer, then?: () => void): void {
    const ws = this.ws;
    const backlog = this.backlog;
    if (backlog !== null) {
      backlog.live(data, then);
      if (ws.bufferedAmount + backlog.liveBytes > this.context.maxBufferedBytes) this.cutSlowConsumer();
      return;
    }
    if (ws.readyState === WebSocket.OPEN) {
      if (!this.corked) {
        this.corked = true;
        this.socket.cork();
        this.context.corks.add(this);
      }
      if (typeof data === 'string') ws.send(data);
      else ws.send(data, TEXT_FRAME);
      // A write in flight counts whole until the socket took all of it: a tick's frames past
      // the cap leave at once, so what that over-counts stays far below the bound.
      if (this.socket.writableLength >= this.context.maxCorkedBytes) this.uncork();
    }
    if (then !== undefined) then();
  }

  /**
   * The end of a tick in which this connection was sent live frames: they leave in one write,
   * and a reader that let them pile up past the bound is cut (what the socket could not take is
   * what it would have kept had each frame been written on its own).
   */
  uncork(): void {
    this.corked = false;
    // Never throws: the other connections of this tick are uncorked after this one.
    try {
      this.socket.uncork();
      if (this.ws.readyState === WebSocket.OPEN && this.ws.bufferedAmount > this.context.maxBufferedBytes) this.cutSlowConsumer();
    } catch (err) {
      this.taskFailed(err);
    }
  }

  /**
   * Sends history paced by the reader (see CatchUp): never cut by the slow-consumer bound, and
   * the live frames that arrive meanwhile wait behind it.
   */
  private sendHistory(data: string | Buffer): void {
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    let backlog = this.backlog;
    if (backlog === null) {
      const created = new CatchUp(this.ws, this.context.catchUpBatchBytes, () => {
        if (this.backlog === created) this.backlog = null;
      });
      backlog = this.backlog = created;
    }
    backlog.history(data);
  }

  private cutSlowConsumer(): void {
    this.context.log.warn({ conn: this.id, buffered: this.ws.bufferedAmount, queued: this.backlog?.liveBytes ?? 0 }, 'slow consumer cut');
    this.close(CloseCode.SLOW_CONSUMER, closeReasons.slow);
  }

  /**
   * Every close the server decides for a connection goes through here. From now on nothing it
   * sends is handled, history still waiting for it is dropped, and after a close for what the
   * peer did (STOP_READING) its bytes are not even read. If the closing handshake has not
   * finished within the gateway's close grace, ws cuts the TCP connection (its closeTimeout): a
   * stuck reader or a client that ignores the close must not hold memory or a core.
   */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.backlog?.stop();
    this.backlog = null;
    // A client already closing chose its code and gets its handshake finished.
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (STOP_READING.has(code)) this.ws.pause();
    closeSocket(this.ws, code, reason, this.context.metrics);
  }

  /** Closes a connection whose participant is already dealt with, so its close changes nothing. */
  end(code: number, reason: string): void {
    this.participant = undefined;
    this.close(code, reason);
  }

  /** The socket has closed: lets go of the frames still waiting for it. */
  socketClosed(): void {
    this.backlog?.stop();
    this.backlog = null;
  }
}
