import type { Logger } from 'pino';
import type { Revocation } from '../../domain/accounts/revocation.js';
import type { Sessions } from '../../domain/accounts/sessions.js';
import type { Broker } from '../../domain/broker.js';
import { CloseCode } from '../../protocol/closeCodes.js';
import { closeReasons } from '../../protocol/notices.js';
import type { SessionRecord } from '../../store/credentialStore.js';
import type { Connection } from './connection.js';
import type { DeliveryRouter } from './deliveryRouter.js';
import type { PresenceBroadcaster } from './presenceBroadcaster.js';

/** How often this node checks that the sessions of its agents' sockets still stand (and keeps them alive). */
export const SESSION_SWEEP_MS = 60_000;

const REASONS: Record<Revocation['reason'], string> = {
  disabled: closeReasons.accountDisabled,
  signed_out: closeReasons.signedOut,
  password_reset: closeReasons.passwordReset,
};

interface Held {
  accountId: number;
  session: Pick<SessionRecord, 'id' | 'createdAt'>;
}

/**
 * The agents' sockets on this node by the session they were opened with, so a revocation closes
 * them at once. Every SESSION_SWEEP_MS each session with a socket is also kept alive (an open
 * console is in use though it sends no requests) and checked: one that ended without this node
 * hearing of it (Redis was down) has its sockets closed then.
 */
export class AgentSockets {
  private readonly held = new Map<Connection, Held>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessions: Sessions,
    private readonly broker: Broker,
    private readonly router: DeliveryRouter,
    private readonly presence: PresenceBroadcaster,
    private readonly log: Logger,
  ) {}

  /**
   * Ends one connection whose session ended, in its turn (after its admission, if that is still
   * running): the broker hands its customer on (peer_away, then the head of the queue) and the room
   * closes, then the socket closes with 4403. Should the broker fail (Redis down), the participant
   * is left on the connection, so its close leaves as a drop would.
   */
  private revoke(conn: Connection, reason: string): void {
    conn.enqueue(async () => {
      const who = conn.participant;
      if (who) {
        try {
          conn.participant = undefined;
          this.router.deliver(await this.broker.revokeAgent(who));
          this.presence.schedule();
        } catch (err) {
          conn.participant = who;
          this.log.warn({ err, name: who.name }, "could not hand a revoked agent's customer on");
        }
      }
      conn.close(CloseCode.REVOKED, reason);
    });
  }

  add(conn: Connection, accountId: number, session: Pick<SessionRecord, 'id' | 'createdAt'>): void {
    this.held.set(conn, { accountId, session });
  }

  remove(conn: Connection): void {
    this.held.delete(conn);
  }

  /**
   * Closes the sockets a revocation names that are on this node. When every session of the
   * account ended, an agent of it who is away (dropped, within grace) has no socket anywhere:
   * their room closes and their customer is handed on by name. Every node hears the revocation
   * and asks; the registry does it once, and not at all while the agent is connected.
   */
  revoked(r: Revocation): void {
    const reason = REASONS[r.reason];
    for (const [conn, h] of this.held) {
      if (h.accountId !== r.accountId) continue;
      if (r.sessionIds !== undefined && !r.sessionIds.includes(h.session.id)) continue;
      this.held.delete(conn);
      this.revoke(conn, reason);
    }
    if (r.sessionIds === undefined && r.agent !== undefined) this.revokeAway(r.agent);
  }

  /** Should the broker fail (Redis down), the away room stays until its grace runs out, as before. */
  private revokeAway(agent: string): void {
    this.broker.revokeAwayAgent(agent).then(
      (deliveries) => {
        this.router.deliver(deliveries);
        // Whichever node closed the room, every node's consoles may show it.
        this.presence.schedule();
      },
      (err: unknown) => this.log.warn({ err, name: agent }, "could not hand an away revoked agent's customer on"),
    );
  }

  /** Keeps alive the sessions of this node's sockets, and closes the sockets of those that ended. */
  async sweep(): Promise<void> {
    const bySession = new Map<number, { held: Held; conns: Connection[] }>();
    for (const [conn, h] of this.held) {
      const entry = bySession.get(h.session.id) ?? { held: h, conns: [] };
      entry.conns.push(conn);
      bySession.set(h.session.id, entry);
    }
    for (const { held, conns } of bySession.values()) {
      if (await this.sessions.keepAlive(held.session)) continue;
      for (const conn of conns) {
        if (!this.held.delete(conn)) continue;
        this.revoke(conn, closeReasons.signedOut);
      }
    }
  }

  start(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.log.warn({ err }, 'session sweep failed'));
    }, SESSION_SWEEP_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
