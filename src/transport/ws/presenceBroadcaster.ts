import type { Logger } from 'pino';
import type { Broker } from '../../domain/broker.js';
import type { Connection } from './connection.js';
import { encodeEvent } from './encodeEvent.js';

/** Presence changes within this window go out as one frame. */
const PRESENCE_DEBOUNCE_MS = 100;

/**
 * Keeps the presence panel of every agent console on this node current (the agents online,
 * their chats and status, who waits): a burst of changes makes one frame, and a console gets it only when what it
 * shows changed since the last it got.
 */
export class PresenceBroadcaster {
  /**
   * Admitted protocol-2 agents on this node, each with the presence its console last got
   * (its agents, waiting count and queue as text, compared as a whole).
   */
  private readonly watchers = new Map<Connection, string | undefined>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly broker: Pick<Broker, 'presence'>,
    private readonly log: Logger,
  ) {}

  /** An agent console that shows presence from now on. */
  watch(conn: Connection): void {
    this.watchers.set(conn, undefined);
  }

  /** A console that closed. */
  unwatch(conn: Connection): void {
    this.watchers.delete(conn);
  }

  /** Recomputes presence soon; several changes in a burst make one frame. */
  schedule(): void {
    if (this.timer !== undefined || this.watchers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.broadcast().catch((err: unknown) => this.log.warn({ err }, 'presence failed'));
    }, PRESENCE_DEBOUNCE_MS);
    this.timer.unref();
  }

  /** Drops a recompute that is due (the server is closing). */
  stop(): void {
    clearTimeout(this.timer);
  }

  /** Sends the presence snapshot to every watching console that has not seen this one yet. */
  private async broadcast(): Promise<void> {
    if (this.watchers.size === 0) return;
    const event = await this.broker.presence();
    const data = JSON.stringify(encodeEvent(event, Date.now()));
    // The frame's lists, without its timestamp, say whether anything changed.
    const key = JSON.stringify([event.agents, event.waiting, event.queue]);
    for (const [conn, sent] of this.watchers) {
      if (sent === key) continue;
      this.watchers.set(conn, key);
      conn.sendFrame(data);
    }
  }
}
