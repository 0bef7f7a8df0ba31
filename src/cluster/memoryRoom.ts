import type { AgentStatus, RoomView, SeatKeys, SeatView } from './roomRegistry.js';

/** A free slot held for a customer who has a ticket and has not connected yet. */
export interface Reservation {
  ticket: string;
  customer: string;
  expiresAt: number;
  /** The client that asked for it, for its share of unused reservations. */
  holder?: string;
}

/** A customer seated in a room: one conversation. */
export interface Seat extends SeatKeys {
  name: string;
  session?: string;
  awayUntil?: number;
}

/** An agent's room in the in-process registry. */
export interface Room {
  agent: string;
  agentSession?: string;
  agentAwayUntil?: number;
  capacity: number;
  status: AgentStatus;
  /** In the order they were seated. */
  seats: Seat[];
  /** Reservations not swept yet; the registry sweeps lapsed ones before it counts them. */
  reservations: Reservation[];
  /** Order in which the room last had a slot come free: among equally loaded rooms, the idle longest goes first. */
  freeOrder: number;
}

/** Just the keys of a seat or a queue entry's seat, nothing else it carries. */
export function keysOf(seat: SeatKeys): SeatKeys {
  return { conversationId: seat.conversationId, resumeHash: seat.resumeHash };
}

export function seatView(seat: Seat): SeatView {
  const v: SeatView = { name: seat.name, conversationId: seat.conversationId, resumeHash: seat.resumeHash };
  if (seat.session !== undefined) v.session = seat.session;
  return v;
}

export function roomView(room: Room): RoomView {
  const v: RoomView = {
    agent: room.agent,
    capacity: room.capacity,
    status: room.status,
    seats: room.seats.map(seatView),
    reservedFor: room.reservations.map((r) => r.customer),
  };
  if (room.agentSession !== undefined) v.agentSession = room.agentSession;
  return v;
}

/** Seats plus reservations: what placement balances on (lapsed reservations must be swept first). */
export function load(room: Room): number {
  return room.seats.length + room.reservations.length;
}

/** Whether the room takes another customer now: agent present, online, below capacity. */
export function hasFreeSlot(room: Room): boolean {
  return room.agentSession !== undefined && room.status === 'online' && load(room) < room.capacity;
}

/** Whether `a` goes before `b` in placement order: fewer seated plus reserved, then idle longer. */
export function placedBefore(a: Room, b: Room): boolean {
  const la = load(a);
  const lb = load(b);
  return la !== lb ? la < lb : a.freeOrder < b.freeOrder;
}

/** The room with a free slot that placement picks first among those `allowed` accepts. */
export function firstFree(rooms: Iterable<Room>, allowed: (room: Room) => boolean): Room | undefined {
  let best: Room | undefined;
  for (const room of rooms) {
    if (best !== undefined && !placedBefore(room, best)) continue;
    if (hasFreeSlot(room) && allowed(room)) best = room;
  }
  return best;
}
