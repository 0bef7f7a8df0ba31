import type { Expired, QueueLeft, SeatKeys, WaitingView } from './roomRegistry.js';

/** A connected customer waiting for an agent: only a claimed ticket takes a place. */
export interface QueueEntry {
  customer: string;
  session: string;
  keys: SeatKeys;
  /** The customer leaves the queue by then, placed or not. */
  waitUntil: number;
  /** Handed back by an agent: the seat keeps its conversation, and never goes back to `notAgent`. */
  continued?: boolean;
  notAgent?: string;
}

/** The in-process registry's queue of connected waiting customers, head first. */
export class MemoryQueue {
  readonly entries: QueueEntry[] = [];

  get length(): number {
    return this.entries.length;
  }

  /** Whether a free slot of `agent` may go to a newcomer: nobody waiting may take it (only customers that agent handed back wait). */
  openToNewcomer(agent: string): boolean {
    return this.entries.every((e) => e.notAgent === agent);
  }

  /** Joins at the back; returns the position (1 = next). */
  join(entry: QueueEntry): number {
    return this.entries.push(entry);
  }

  /** Customers handed back by `from` go to the head, in the order given: they were served already, and wait only for another agent. */
  toHead(seats: Array<{ name: string; session: string; keys: SeatKeys }>, from: string, waitUntil: number): void {
    const handedBack = seats.map((s) => ({ customer: s.name, session: s.session, keys: s.keys, waitUntil, continued: true, notAgent: from }));
    this.entries.unshift(...handedBack);
  }

  leave(session: string): QueueLeft | undefined {
    const index = this.entries.findIndex((e) => e.session === session);
    const entry = this.entries[index];
    if (!entry) return undefined;
    this.entries.splice(index, 1);
    return entry.continued ? { conversationId: entry.keys.conversationId } : {};
  }

  /** Takes out the customers who waited past their time, in queue order. */
  expire(now: number): Expired['waiting'] {
    const out: Expired['waiting'] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i] as QueueEntry;
      if (entry.waitUntil > now) continue;
      this.entries.splice(i, 1);
      out.unshift(
        entry.continued
          ? { customer: entry.customer, session: entry.session, conversationId: entry.keys.conversationId }
          : { customer: entry.customer, session: entry.session },
      );
    }
    return out;
  }

  views(): WaitingView[] {
    return this.entries.map((e, i) => ({ customer: e.customer, session: e.session, position: i + 1 }));
  }
}
