import type { Expired, QueueLeft, SeatKeys, WaitingView } from './roomRegistry.js';

/** A customer waiting for an agent: only a claimed ticket takes a place. */
export interface QueueEntry {
  customer: string;
  /** Unset while the customer is away (dropped, within grace): the place is kept, nobody is placed from it. */
  session?: string;
  awayUntil?: number;
  keys: SeatKeys;
  /** The customer leaves the queue by then, placed or not. */
  waitUntil: number;
  /** Handed back by an agent: the seat keeps its conversation, and never goes back to `notAgent`. */
  continued?: boolean;
  notAgent?: string;
}

/** A queue entry whose customer is connected. */
export type PresentEntry = QueueEntry & { session: string };

/** The in-process registry's queue of waiting customers, head first. */
export class MemoryQueue {
  readonly entries: QueueEntry[] = [];

  get length(): number {
    return this.entries.length;
  }

  /**
   * Whether a free slot of `agent` may go to a newcomer: nobody waiting may take it (only
   * customers that agent handed back, or customers away, wait).
   */
  openToNewcomer(agent: string): boolean {
    return this.entries.every((e) => e.session === undefined || e.notAgent === agent);
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

  /** The customer dropped: their place is kept until `until`; their position, if they were waiting. */
  markAway(session: string, until: number): number | undefined {
    const index = this.entries.findIndex((e) => e.session === session);
    const entry = this.entries[index];
    if (!entry) return undefined;
    delete entry.session;
    entry.awayUntil = until;
    return index + 1;
  }

  /**
   * The customer whose seat keys carry `resumeHash` comes back as `session`: the entry and its
   * position, and the session it had if still connected (to be replaced).
   */
  resume(resumeHash: string, customer: string, session: string): { entry: QueueEntry; position: number; replaced?: string } | undefined {
    const index = this.entries.findIndex((e) => e.keys.resumeHash === resumeHash && e.customer === customer);
    const entry = this.entries[index];
    if (!entry) return undefined;
    const replaced = entry.session;
    entry.session = session;
    delete entry.awayUntil;
    return replaced === undefined ? { entry, position: index + 1 } : { entry, position: index + 1, replaced };
  }

  /** Takes out the customers who waited past their time or stayed away past grace, in queue order. */
  expire(now: number): Expired['waiting'] {
    const out: Expired['waiting'] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i] as QueueEntry;
      const awayOver = entry.session === undefined && (entry.awayUntil ?? 0) <= now;
      if (entry.waitUntil > now && !awayOver) continue;
      this.entries.splice(i, 1);
      const gone: Expired['waiting'][number] = { customer: entry.customer };
      if (entry.session !== undefined) gone.session = entry.session;
      if (entry.continued) gone.conversationId = entry.keys.conversationId;
      out.unshift(gone);
    }
    return out;
  }

  /** Connected waiting customers; a customer away is not listed but keeps their place in the count. */
  views(): WaitingView[] {
    const out: WaitingView[] = [];
    this.entries.forEach((e, i) => {
      if (e.session !== undefined) out.push({ customer: e.customer, session: e.session, position: i + 1 });
    });
    return out;
  }
}
