import type { RoomRegistry, RoomView, TicketClaim } from './roomRegistry.js';

interface Reservation {
  ticket: string;
  customer: string;
  expiresAt: number;
}

interface Room {
  agent: string;
  agentSession: string;
  reservation?: Reservation;
  customer?: { name: string; session: string };
  /** Order in which rooms became free: the longest-idle agent gets the next customer. */
  freeOrder: number;
}

function view(room: Room): RoomView {
  const base = { agent: room.agent, agentSession: room.agentSession };
  if (room.customer) return { ...base, customer: { name: room.customer.name, session: room.customer.session } };
  if (room.reservation) return { ...base, customer: { name: room.reservation.customer } };
  return base;
}

/**
 * The single-process registry. Each method runs to completion without awaiting, which is what
 * makes reserve and claim atomic here.
 */
export class MemoryRoomRegistry implements RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  /**
   * ticket -> agent and expiry. A replaced expired reservation keeps its entry until swept, so
   * its holder is told "expired" rather than "unknown".
   */
  private readonly tickets = new Map<string, { agent: string; expiresAt: number }>();
  private clock = 0; // tie-breaker so rooms opened in the same ms keep their order

  async openRoom(agent: string, agentSession: string): Promise<boolean> {
    if (this.rooms.has(agent)) return false;
    this.rooms.set(agent, { agent, agentSession, freeOrder: this.clock++ });
    return true;
  }

  async closeRoom(agent: string, agentSession: string): Promise<RoomView | undefined> {
    const room = this.rooms.get(agent);
    if (!room || room.agentSession !== agentSession) return undefined;
    this.rooms.delete(agent);
    if (room.reservation) this.tickets.delete(room.reservation.ticket);
    return view(room);
  }

  async reserveRoom(customer: string, ticket: string, now: number, ttlMs: number): Promise<RoomView | undefined> {
    let best: Room | undefined;
    for (const room of this.rooms.values()) {
      if (room.customer) continue;
      if (room.reservation && room.reservation.expiresAt > now) continue;
      if (!best || room.freeOrder < best.freeOrder) best = room;
    }
    if (!best) return undefined;
    best.reservation = { ticket, customer, expiresAt: now + ttlMs };
    this.tickets.set(ticket, { agent: best.agent, expiresAt: now + ttlMs });
    if (this.tickets.size > 2 * this.rooms.size + 64) this.sweep(now);
    return view(best);
  }

  /** Drops tickets past their expiry; amortised over reservations so memory stays bounded. */
  private sweep(now: number): void {
    for (const [ticket, entry] of this.tickets) if (entry.expiresAt <= now) this.tickets.delete(ticket);
  }

  async claimTicket(ticket: string, customer: string, customerSession: string, now: number): Promise<TicketClaim> {
    const entry = this.tickets.get(ticket);
    if (!entry) return { ok: false, reason: 'unknown' };
    const room = this.rooms.get(entry.agent);
    const reservation = room?.reservation?.ticket === ticket ? room.reservation : undefined;
    if (entry.expiresAt <= now) {
      this.tickets.delete(ticket);
      if (room && reservation) room.reservation = undefined;
      return { ok: false, reason: 'expired' };
    }
    if (!room || !reservation) {
      this.tickets.delete(ticket);
      return { ok: false, reason: 'unknown' };
    }
    // A wrong name does not burn the ticket: the rightful customer can still use it.
    if (reservation.customer !== customer) return { ok: false, reason: 'wrong_name' };
    this.tickets.delete(ticket);
    room.reservation = undefined;
    room.customer = { name: customer, session: customerSession };
    return { ok: true, room: view(room) };
  }

  async leaveRoom(agent: string, customerSession: string): Promise<RoomView | undefined> {
    const room = this.rooms.get(agent);
    if (!room || room.customer?.session !== customerSession) return undefined;
    const before = view(room);
    room.customer = undefined;
    room.freeOrder = this.clock++;
    return before;
  }

  async getRoom(agent: string): Promise<RoomView | undefined> {
    const room = this.rooms.get(agent);
    return room ? view(room) : undefined;
  }
}
