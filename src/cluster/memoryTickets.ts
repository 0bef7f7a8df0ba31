import { KEEP_LAPSED_TICKET_MS } from './roomRegistry.js';

/** Where a live ticket points: a room's reservation (`agent`), or else the queue. */
export interface TicketEntry {
  agent?: string;
  customer: string;
  expiresAt: number;
}

/**
 * The in-process registry's tickets. A lapsed one keeps its entry for KEEP_LAPSED_TICKET_MS, so
 * its late holder hears "expired" rather than "unknown".
 */
export class MemoryTickets extends Map<string, TicketEntry> {
  private sweptAt = 0;

  /**
   * Forgets tickets lapsed longer than KEEP_LAPSED_TICKET_MS, at most once a second: memory
   * holds what that span of requests left, and a flood of requests costs one pass a second.
   */
  sweep(now: number): void {
    if (now >= this.sweptAt && now - this.sweptAt < 1000) return;
    this.sweptAt = now;
    for (const [ticket, entry] of this) if (entry.expiresAt + KEEP_LAPSED_TICKET_MS <= now) this.delete(ticket);
  }
}
