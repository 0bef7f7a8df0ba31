import type { Revocation } from '../../domain/accounts/revocation.js';

/**
 * Carries revocations (sessions that ended, accounts disabled) to every node, this one included,
 * so each closes the sockets it holds for them at once. What a node misses (Redis was down) it
 * finds on its next check of its sockets' sessions (AgentSockets.sweep).
 */
export interface Revocations {
  /** Starts hearing revocations; `resubscribed` is called when the channel came back after an outage. */
  start(onRevoked: (r: Revocation) => void, resubscribed?: () => void): Promise<void>;
  /** Sends a revocation to every node; fails when the channel is down. */
  publish(r: Revocation): Promise<void>;
  close(): Promise<void>;
}

/** One process: a revocation is heard here, at once. */
export class LocalRevocations implements Revocations {
  private onRevoked: (r: Revocation) => void = () => {};

  async start(onRevoked: (r: Revocation) => void): Promise<void> {
    this.onRevoked = onRevoked;
  }

  async publish(r: Revocation): Promise<void> {
    this.onRevoked(r);
  }

  async close(): Promise<void> {}
}
