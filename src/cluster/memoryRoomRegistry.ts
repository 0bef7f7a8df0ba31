import { type Room, type Seat, firstFree, hasFreeSlot, keysOf, roomView, seatView } from './memoryRoom.js';
import { MemoryQueue } from './memoryQueue.js';
import type {
  AgentStatus,
  AwayMarked,
  AwayRequeueResult,
  ClaimResult,
  Expired,
  NodeSession,
  OpenResult,
  Placement,
  QueueLeft,
  QueueLimits,
  RegistryStats,
  RequestResult,
  RequeueResult,
  ResolveResult,
  ResumeResult,
  RoomRegistry,
  RoomView,
  SeatKeys,
  SeatLeft,
  SeatView,
  TicketHolder,
  TransferResult,
  WaitingView,
} from './roomRegistry.js';
import { agentNameKey } from './roomRegistry.js';
import { MemoryTickets, type TicketEntry } from './memoryTickets.js';

/**
 * The single-process registry. Each method runs to completion without awaiting, which is what
 * makes every transition atomic here.
 */
export class MemoryRoomRegistry implements RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly tickets = new MemoryTickets();
  private readonly queue = new MemoryQueue();
  private readonly seatsByResume = new Map<string, string>(); // resumeHash -> agent
  /** agentNameKey -> the agent whose room has it: look-alike names cannot both have a room. */
  private readonly roomsByNameKey = new Map<string, string>();
  private clock = 0;
  /** When the first reservation held in any room lapses: sweeping before then finds nothing. */
  private nextLapse = Number.POSITIVE_INFINITY;

  private openToNewcomer = (room: Room): boolean => this.queue.openToNewcomer(room.agent);

  /**
   * Drops reservations that lapsed, so they hold no slot when placement counts. Their ticket
   * entries stay, so a late holder hears "expired"; tickets.sweep forgets them later.
   */
  private sweepReservations(now: number): void {
    if (now < this.nextLapse) return;
    this.nextLapse = Number.POSITIVE_INFINITY;
    for (const room of this.rooms.values()) {
      if (room.reservations.length === 0) continue;
      room.reservations = room.reservations.filter((r) => r.expiresAt > now);
      for (const r of room.reservations) this.nextLapse = Math.min(this.nextLapse, r.expiresAt);
    }
  }

  private reserve(room: Room, ticket: string, customer: string, expiresAt: number, holder?: string): void {
    room.reservations.push(holder === undefined ? { ticket, customer, expiresAt } : { ticket, customer, expiresAt, holder });
    this.nextLapse = Math.min(this.nextLapse, expiresAt);
    this.tickets.set(ticket, { agent: room.agent, customer, expiresAt });
  }

  /** Reservations of `holder` that are not used and not lapsed yet. */
  private heldBy(holder: string, now: number): number {
    let n = 0;
    for (const room of this.rooms.values()) for (const r of room.reservations) if (r.holder === holder && r.expiresAt > now) n++;
    return n;
  }

  private seat(room: Room, seat: Seat): void {
    room.seats.push(seat);
    this.seatsByResume.set(seat.resumeHash, room.agent);
  }

  /** The seat leaves the room; the slot it frees makes the room the latest to come free. */
  private unseat(room: Room, seat: Seat): void {
    room.seats = room.seats.filter((s) => s !== seat);
    if (this.seatsByResume.get(seat.resumeHash) === room.agent) this.seatsByResume.delete(seat.resumeHash);
    room.freeOrder = this.clock++;
  }

  private addRoom(room: Room): void {
    this.rooms.set(room.agent, room);
    this.roomsByNameKey.set(agentNameKey(room.agent), room.agent);
  }

  private removeRoom(room: Room): void {
    this.rooms.delete(room.agent);
    const key = agentNameKey(room.agent);
    if (this.roomsByNameKey.get(key) === room.agent) this.roomsByNameKey.delete(key);
    for (const seat of room.seats) this.seatsByResume.delete(seat.resumeHash);
    for (const r of room.reservations) this.tickets.delete(r.ticket);
  }

  /** The room `agentSession` owns, if it does. */
  private owned(agent: string, agentSession: string): Room | undefined {
    const room = this.rooms.get(agent);
    return room && room.agentSession === agentSession ? room : undefined;
  }

  async openRoom(agent: string, agentSession: string, capacity: number): Promise<OpenResult> {
    const room = this.rooms.get(agent);
    if (!room) {
      if (this.roomsByNameKey.has(agentNameKey(agent))) return { kind: 'taken' };
      this.addRoom({ agent, agentSession, capacity, status: 'online', seats: [], reservations: [], freeOrder: this.clock++ });
      return { kind: 'opened' };
    }
    if (room.agentSession !== undefined) return { kind: 'taken' };
    const awayUntil = room.agentAwayUntil;
    room.agentSession = agentSession;
    room.agentAwayUntil = undefined;
    room.capacity = capacity;
    return awayUntil === undefined ? { kind: 'resumed', room: roomView(room) } : { kind: 'resumed', room: roomView(room), awayUntil };
  }

  async closeRoom(agent: string, agentSession: string): Promise<RoomView | undefined> {
    const room = this.owned(agent, agentSession);
    if (!room) return undefined;
    this.removeRoom(room);
    return roomView(room);
  }

  async requestRoom(customer: string, ticket: string, now: number, ttlMs: number, limits: QueueLimits, holder?: TicketHolder): Promise<RequestResult> {
    this.tickets.sweep(now);
    this.sweepReservations(now);
    if (holder === undefined || this.heldBy(holder.key, now) < holder.maxReservations) {
      // A free slot nobody in the queue may take goes to the newcomer rather than standing idle.
      const room = firstFree(this.rooms.values(), this.openToNewcomer);
      if (room) {
        this.reserve(room, ticket, customer, now + ttlMs, holder?.key);
        return { kind: 'reserved', room: roomView(room) };
      }
    }
    if (this.queue.length >= limits.maxLength) return { kind: 'full' };
    this.tickets.set(ticket, { customer, expiresAt: now + ttlMs });
    return { kind: 'queued', position: this.queue.length + 1 };
  }

  async claimTicket(ticket: string, customer: string, session: string, keys: SeatKeys, now: number, limits: QueueLimits): Promise<ClaimResult> {
    this.sweepReservations(now);
    const entry = this.tickets.get(ticket);
    if (!entry) return { kind: 'refused', reason: 'unknown' };
    if (entry.agent === undefined) return this.claimQueued(ticket, entry, customer, session, keys, now, limits);
    const room = this.rooms.get(entry.agent);
    const reservation = room?.reservations.find((r) => r.ticket === ticket);
    if (entry.expiresAt <= now) {
      this.tickets.delete(ticket);
      return { kind: 'refused', reason: 'expired' };
    }
    if (!room || !reservation) {
      this.tickets.delete(ticket);
      return { kind: 'refused', reason: 'unknown' };
    }
    // A wrong name does not burn the ticket: the rightful customer can still use it.
    if (reservation.customer !== customer) return { kind: 'refused', reason: 'wrong_name' };
    this.tickets.delete(ticket);
    room.reservations = room.reservations.filter((r) => r !== reservation);
    this.seat(room, { name: customer, session, ...keysOf(keys) });
    return { kind: 'seated', room: roomView(room) };
  }

  private claimQueued(ticket: string, entry: TicketEntry, customer: string, session: string, keys: SeatKeys, now: number, limits: QueueLimits): ClaimResult {
    if (entry.expiresAt <= now) {
      this.tickets.delete(ticket);
      return { kind: 'refused', reason: 'expired' };
    }
    if (entry.customer !== customer) return { kind: 'refused', reason: 'wrong_name' };
    this.tickets.delete(ticket);
    // A slot came free since the ticket was given and nobody waiting may take it.
    const room = firstFree(this.rooms.values(), this.openToNewcomer);
    if (room) {
      this.seat(room, { name: customer, session, ...keysOf(keys) });
      return { kind: 'seated', room: roomView(room) };
    }
    if (this.queue.length >= limits.maxLength) return { kind: 'refused', reason: 'full' };
    const position = this.queue.join({ customer, session, keys, waitUntil: now + limits.maxWaitMs });
    return { kind: 'waiting', position };
  }

  async resumeCustomer(resumeHash: string, customer: string, session: string): Promise<ResumeResult> {
    const agent = this.seatsByResume.get(resumeHash);
    const room = agent === undefined ? undefined : this.rooms.get(agent);
    const seat = room?.seats.find((s) => s.resumeHash === resumeHash);
    if (!room || !seat) return this.resumeWaiting(resumeHash, customer, session);
    if (seat.name !== customer) return { kind: 'refused' };
    const replaced = seat.session;
    seat.session = session;
    seat.awayUntil = undefined;
    const result: ResumeResult = { kind: 'resumed', room: roomView(room), seat: seatView(seat) };
    if (replaced !== undefined) result.replaced = replaced;
    return result;
  }

  /** Not seated: the customer may have a place in the queue, kept while they were away. */
  private resumeWaiting(resumeHash: string, customer: string, session: string): ResumeResult {
    const back = this.queue.resume(resumeHash, customer, session);
    if (!back) return { kind: 'refused' };
    const { keys, waitUntil } = back.entry;
    const result: ResumeResult = { kind: 'waiting', position: back.position, conversationId: keys.conversationId, waitUntil };
    if (back.replaced !== undefined) result.replaced = back.replaced;
    return result;
  }

  async leaveRoom(agent: string, customerSession: string): Promise<SeatLeft | undefined> {
    const room = this.rooms.get(agent);
    const seat = room?.seats.find((s) => s.session === customerSession);
    if (!room || !seat) return undefined;
    this.unseat(room, seat);
    return { room: roomView(room), seat: seatView(seat) };
  }

  async resolve(agent: string, agentSession: string, conversationId: string): Promise<ResolveResult> {
    const room = this.owned(agent, agentSession);
    if (!room) return { kind: 'refused', reason: 'not_owner' };
    const seat = room.seats.find((s) => s.conversationId === conversationId);
    if (!seat) return { kind: 'refused', reason: 'no_customer' };
    this.unseat(room, seat);
    return { kind: 'resolved', room: roomView(room), seat: seatView(seat) };
  }

  async setStatus(agent: string, agentSession: string, status: AgentStatus): Promise<RoomView | undefined> {
    const room = this.owned(agent, agentSession);
    if (!room) return undefined;
    room.status = status;
    return roomView(room);
  }

  async leaveQueue(customerSession: string): Promise<QueueLeft | undefined> {
    return this.queue.leave(customerSession);
  }

  async markQueueAway(customerSession: string, until: number): Promise<number | undefined> {
    return this.queue.markAway(customerSession, until);
  }

  async markAway(agent: string, role: 'kefu' | 'yonghu', session: string, until: number): Promise<AwayMarked | undefined> {
    const room = this.rooms.get(agent);
    if (!room) return undefined;
    if (role === 'kefu') {
      if (room.agentSession !== session) return undefined;
      room.agentSession = undefined;
      room.agentAwayUntil = until;
      return { room: roomView(room) };
    }
    const seat = room.seats.find((s) => s.session === session);
    if (!seat) return undefined;
    seat.session = undefined;
    seat.awayUntil = until;
    return { room: roomView(room), seat: seatView(seat) };
  }

  async fillFreeRooms(now: number): Promise<Placement[]> {
    const placements: Placement[] = [];
    // Nobody waits (the usual case when an agent connects): nothing to look at.
    if (this.queue.length === 0) return placements;
    this.sweepReservations(now);
    const free = [...this.rooms.values()].filter(hasFreeSlot);
    const entries = this.queue.entries;
    for (let i = 0; i < entries.length && free.length > 0; ) {
      const entry = entries[i] as (typeof entries)[number];
      // A customer away keeps their place but is not handed to an agent while gone.
      const room = entry.session === undefined ? undefined : firstFree(free, (r) => r.agent !== entry.notAgent);
      if (!room) {
        i++;
        continue;
      }
      entries.splice(i, 1);
      const seat: Seat = { name: entry.customer, ...keysOf(entry.keys) };
      if (entry.session !== undefined) seat.session = entry.session;
      this.seat(room, seat);
      if (!hasFreeSlot(room)) free.splice(free.indexOf(room), 1);
      const placement: Placement = { room: roomView(room), seat: seatView(seat) };
      if (entry.continued) placement.continued = true;
      placements.push(placement);
    }
    return placements;
  }

  async expire(now: number): Promise<Expired> {
    this.sweepReservations(now);
    const expired: Expired = { customers: [], agents: [], waiting: [] };
    for (const room of this.inFreeOrder()) {
      if (room.agentSession === undefined && room.agentAwayUntil !== undefined && room.agentAwayUntil <= now) {
        expired.agents.push(roomView(room));
        this.removeRoom(room);
        continue;
      }
      for (const seat of [...room.seats]) {
        if (seat.session !== undefined || seat.awayUntil === undefined || seat.awayUntil > now) continue;
        this.unseat(room, seat);
        expired.customers.push({ room: roomView(room), seat: seatView(seat) });
      }
    }
    expired.waiting = this.queue.expire(now);
    return expired;
  }

  private inFreeOrder(): Room[] {
    return [...this.rooms.values()].sort((x, y) => x.freeOrder - y.freeOrder);
  }

  async waiting(): Promise<WaitingView[]> {
    return this.queue.views();
  }

  async getRoom(agent: string): Promise<RoomView | undefined> {
    const room = this.rooms.get(agent);
    return room ? roomView(room) : undefined;
  }

  async restoreRoom(agent: string, seat: Omit<SeatView, 'session'>, until: number): Promise<void> {
    // A conversation's resume hash is its own: seated under it means this conversation is seated.
    if (this.seatsByResume.has(seat.resumeHash)) return;
    let room = this.rooms.get(agent);
    if (!room) {
      if (this.roomsByNameKey.has(agentNameKey(agent))) return;
      room = { agent, agentAwayUntil: until, capacity: 1, status: 'online', seats: [], reservations: [], freeOrder: this.clock++ };
      this.addRoom(room);
    } else if (room.agentSession !== undefined) {
      // The agent is back and serving: the room is theirs again, not one being restored.
      return;
    } else {
      room.agentAwayUntil = Math.max(room.agentAwayUntil ?? until, until);
    }
    this.seat(room, { name: seat.name, ...keysOf(seat), awayUntil: until });
    // Until the agent opens it with their own capacity, the restored room holds what it had.
    room.capacity = Math.max(room.capacity, room.seats.length);
  }

  async transfer(from: string, fromSession: string, conversationId: string, to: string, now: number): Promise<TransferResult> {
    const a = this.owned(from, fromSession);
    if (!a) return { kind: 'refused', reason: 'not_owner' };
    const seat = a.seats.find((s) => s.conversationId === conversationId);
    if (!seat) return { kind: 'refused', reason: 'no_customer' };
    this.sweepReservations(now);
    const b = this.rooms.get(to);
    if (!b || b === a || !hasFreeSlot(b)) return { kind: 'refused', reason: 'not_free' };
    this.unseat(a, seat);
    this.seat(b, seat);
    return { kind: 'moved', from: roomView(a), to: roomView(b), seat: seatView(seat) };
  }

  async requeue(from: string, fromSession: string, conversationId: string, waitUntil: number): Promise<RequeueResult> {
    const room = this.owned(from, fromSession);
    if (!room) return { kind: 'refused', reason: 'not_owner' };
    const seat = room.seats.find((s) => s.conversationId === conversationId);
    if (!seat) return { kind: 'refused', reason: 'no_customer' };
    const session = seat.session;
    if (session === undefined) return { kind: 'refused', reason: 'customer_away' };
    this.unseat(room, seat);
    this.queue.toHead([{ name: seat.name, session, keys: keysOf(seat) }], from, waitUntil);
    return { kind: 'requeued', from: roomView(room), seat: seatView(seat), position: 1 };
  }

  async requeueAway(agent: string, waitUntil: number): Promise<AwayRequeueResult> {
    const room = this.rooms.get(agent);
    if (!room) return { kind: 'refused', reason: 'no_room' };
    if (room.agentSession !== undefined) return { kind: 'refused', reason: 'not_away' };
    const from = roomView(room);
    const connected = room.seats.flatMap((s) => (s.session === undefined ? [] : [{ name: s.name, session: s.session, keys: keysOf(s) }]));
    const dropped = room.seats.filter((s) => s.session === undefined).map(seatView);
    this.removeRoom(room);
    this.queue.toHead(connected, agent, waitUntil);
    const requeued = room.seats.filter((s) => s.session !== undefined).map((s, i) => ({ seat: seatView(s), position: i + 1 }));
    return { kind: 'closed', from, requeued, dropped };
  }

  async listRooms(): Promise<RoomView[]> {
    return this.inFreeOrder().map(roomView);
  }

  async sessionsOfNode(node: string): Promise<NodeSession[]> {
    const mine = (s: string | undefined): s is string => typeof s === 'string' && s.startsWith(`${node}.`);
    const out: NodeSession[] = [];
    for (const room of this.rooms.values()) {
      if (mine(room.agentSession)) out.push({ role: 'kefu', name: room.agent, room: room.agent, session: room.agentSession });
      for (const seat of room.seats) if (mine(seat.session)) out.push({ role: 'yonghu', name: seat.name, room: room.agent, session: seat.session });
    }
    for (const e of this.queue.entries) if (mine(e.session)) out.push({ role: 'yonghu', name: e.customer, session: e.session });
    return out;
  }

  async ping(): Promise<void> {}

  async stats(): Promise<RegistryStats> {
    let busy = 0;
    let seats = 0;
    let away = 0;
    for (const room of this.rooms.values()) {
      if (room.seats.length > 0) busy++;
      seats += room.seats.length;
      if (room.agentSession === undefined) away++;
    }
    return { rooms: this.rooms.size, busy, seats, away, queue: this.queue.length };
  }
}
