import type { Logger } from 'pino';
import type { Broker } from '../../domain/broker.js';
import { CloseCode } from '../../protocol/closeCodes.js';
import { closeReasons } from '../../protocol/notices.js';
import type { Bus } from '../bus/bus.js';
import type { DeliveryRouter } from './deliveryRouter.js';
import type { PresenceBroadcaster } from './presenceBroadcaster.js';

/** After the bus comes back, rebuilding rooms from the store is retried this often, this many times. */
const RESTORE_RETRY_MS = 200;
const RESTORE_RETRIES = 50;
/**
 * The heartbeat's round is walked in steps about this far apart, each pinging its share of the
 * connections: pinging them all in one tick would hold every message behind thousands of writes.
 */
const HEARTBEAT_STEP_MS = 100;

/** How often the rounds run. */
export interface HousekeepingOptions {
  /** Every connection is pinged this often (in HEARTBEAT_STEP_MS steps); one that did not answer the last ping is cut. */
  heartbeatMs: number;
  /** How often the broker's timers (grace, queue wait, tickets) are checked. */
  tickMs: number;
}

/**
 * The WebSocket edge's work that no client frame starts: the heartbeat that cuts dead peers, the
 * broker's timers and the clean-up after nodes that died, and the bus: other nodes' deliveries
 * coming in, and what is rebuilt when it comes back after an outage.
 */
export class Housekeeping {
  private heartbeat: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  /** Steps in one heartbeat round, the step due next, and the slot the next new connection gets. */
  private readonly beatSteps: number;
  private beatStep = 0;
  private nextBeatSlot = 0;

  constructor(
    private readonly broker: Pick<Broker, 'tick' | 'nodeDied' | 'restore'>,
    private readonly bus: Bus,
    private readonly router: DeliveryRouter,
    private readonly presence: PresenceBroadcaster,
    private readonly options: HousekeepingOptions,
    private readonly log: Logger,
  ) {
    this.beatSteps = Math.max(1, Math.round(options.heartbeatMs / HEARTBEAT_STEP_MS));
  }

  /** Starts the rounds, and receiving the deliveries other nodes address to our connections. */
  async start(): Promise<void> {
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs / this.beatSteps);
    this.heartbeat.unref();
    this.ticker = setInterval(() => {
      this.tick().catch((err: unknown) => this.log.warn({ err }, 'broker tick failed'));
    }, this.options.tickMs);
    this.ticker.unref();
    await this.bus.start(
      (deliveries) => this.router.deliverLocal(deliveries),
      () => {
        // Frames from other nodes may have been lost in the outage, and a Redis that restarted
        // empty has lost the rooms: rebuild rooms for open conversations from the store, then
        // have every client here reconnect and resume from the store, which has all that was acked.
        this.log.warn('bus reconnected; restoring rooms and asking clients to resume');
        void this.restoreThenResume(RESTORE_RETRIES);
      },
    );
  }

  /** Stops the rounds; the bus is closed by its owner once the connections' leaves went out. */
  stop(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.ticker);
  }

  /**
   * One step of the round: the connections in its slot (given in turn as they are first seen,
   * so a burst of new ones is spread too) are pinged, each once a round, and one that did not
   * answer its ping of the round before is cut. Walking every connection for its slot costs far
   * less than the writes it spreads.
   */
  private beat(): void {
    const step = this.beatStep;
    this.beatStep = (step + 1) % this.beatSteps;
    for (const conn of this.router.all()) {
      if (conn.heartbeatSlot < 0) conn.heartbeatSlot = this.nextBeatSlot++ % this.beatSteps;
      if (conn.heartbeatSlot !== step) continue;
      if (!conn.alive) {
        this.log.info({ conn: conn.id }, 'heartbeat missed, terminating');
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  /** Timers of the domain (grace, queue, tickets), and the cleanup of nodes that died. */
  private async tick(): Promise<void> {
    this.router.deliver(await this.broker.tick());
    // Other nodes change presence too: polled here, sent only where it changed.
    this.presence.schedule();
    for (const node of await this.bus.claimDeadNodes()) {
      this.log.warn({ node }, 'node died; its people are treated as dropped');
      this.router.deliver(await this.broker.nodeDied(node));
    }
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
    for (const conn of this.router.all()) conn.close(CloseCode.TRY_AGAIN_LATER, closeReasons.unavailable);
  }
}
