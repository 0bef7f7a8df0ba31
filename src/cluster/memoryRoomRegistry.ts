import type {
  AwayRequeueResult,
  ClaimResult,
  Expired,
  NodeSession,
  RegistryStats,
  OpenResult,
  Placement,
  QueueLeft,
  QueueLimits,
  RequestResult,
  RequeueResult,
  ResumeResult,
  RoomRegistry,
  RoomView,
  SeatKeys,
  SeatView,
  TicketHolder,
  TransferResult,
  WaitingView,
} from './roomRegistry.js';
import { KEEP_LAPSED_TICKET_MS, agentNameKey } from './roomRegistry.js';

interface Reservation {
  ticket: string;
  customer: string;
  expiresAt: number;
  /** The client that asked for it, for its share of unused reservations. */
  holder?: string;
}

interface Seat extends SeatKeys {
  name: string;
  session?: string;
  awayUntil?: number;
}

interface Room {
  agent: string;
  agentSession?: string;
  agentAwayUntil?: number;
  reservation?: Reservation;
  customer?: Seat;
  /** Order in which rooms became free: the longest-idle agent gets the next customer. */
  freeOrder: number;
}

/** A connected customer waiting for an agent: only a claimed ticket takes a place. */
interface QueueEntry {
  customer: string;
  session: string;
  keys: SeatKeys;
  /** The customer leaves the queue by then, placed or not. */
  waitUntil: number;
  /** Handed back by an agent: the seat keeps its conversation, and never goes back to `notAgent`. */
  continued?: boolean;
  notAgent?: string;
}

/** Where a live ticket points: a room's reservation (`agent`), or else the queue. */
interface TicketEntry {
  agent?: string;
  customer: string;
  expiresAt: number;
}

function seatView(seat: Seat): SeatView {
  const v: SeatView = { name: seat.name, conversationId: seat.conversationId, resumeHash: seat.resumeHash };
  if (seat.session !== undefined) v.session = seat.session;
  return v;
}

function view(room: Room): RoomView {
  const v: RoomView = { agent: room.agent };
  if (room.agentSession !== undefined) v.agentSession = room.agentSession;
  if (room.customer) v.customer = seatView(room.customer);
  if (room.reservation) v.reservedFor = room.reservation.customer;
  return v;
}

/**
 * The single-process registry. Each method runs to completion without awaiting, which is what
 * makes every transition atomic here.
 */
export class MemoryRoomRegistry implements RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  /** Live tickets. A lapsed one keeps its entry until swept, so its holder hears "expired". */
  private readonly tickets = new Map<string, TicketEntry>();
  private readonly queue: QueueEntry[] = [];
  private readonly seatsByResume = new Map<string, string>(); // resumeHash -> agent
  /** agentNameKey -> the agent whose room has it: look-alike names cannot both have a room. */
  private readonly roomsByNameKey = new Map<string, string>();
  private clock = 0;
  private sweptAt = 0;

  private isFree(room: Room, now: number): boolean {
    return room.agentSession !== undefined && !room.customer && (!room.reservation || room.reservation.expiresAt <= now);
  }

  /** Whether a free room may go to a newcomer: nobody waiting may take it (only customers its own agent handed back wait). */
  private openToNewcomer = (room: Room): boolean => this.queue.every((e) => e.notAgent === room.agent);

  private freeRoomsInOrder(now: number): Room[] {
    return [...this.rooms.values()].filter((r) => this.isFree(r, now)).sort((a, b) => a.freeOrder - b.freeOrder);
  }

  /**
   * The room free the longest that `allowed` accepts: one pass over the rooms, not a sort of
   * every free room on each request.
   */
  private longestFree(now: number, allowed: (room: Room) => boolean): Room | undefined {
    let best: Room | undefined;
    for (const room of this.rooms.values()) {
      if (best !== undefined && room.freeOrder >= best.freeOrder) continue;
      if (this.isFree(room, now) && allowed(room)) best = room;
    }
    return best;
  }

  private reserve(room: Room, ticket: string, customer: string, expiresAt: number, holder?: string): void {
    room.reservation = holder === undefined ? { ticket, customer, expiresAt } : { ticket, customer, expiresAt, holder };
    this.tickets.set(ticket, { agent: room.agent, customer, expiresAt });
  }

  /** Reservations of `holder` that are not used and not lapsed yet. */
  private heldBy(holder: string, now: number): number {
    let n = 0;
    for (const room of this.rooms.values()) if (room.reservation?.holder === holder && room.reservation.expiresAt > now) n++;
    return n;
  }

  private seat(room: Room, seat: Seat): void {
    room.reservation = undefined;
    room.customer = seat;
    this.seatsByResume.set(seat.resumeHash, room.agent);
  }

  private unseat(room: Room): void {
    if (room.customer) this.seatsByResume.delete(room.customer.resumeHash);
    room.customer = undefined;
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
    if (room.customer) this.seatsByResume.delete(room.customer.resumeHash);
    if (room.reservation) this.tickets.delete(room.reservation.ticket);
  }

  async openRoom(agent: string, agentSession: string): Promise<OpenResult> {
    const room = this.rooms.get(agent);
    if (!room) {
      if (this.roomsByNameKey.has(agentNameKey(agent))) return { kind: 'taken' };
      this.addRoom({ agent, agentSession, freeOrder: this.clock++ });
      return { kind: 'opened' };
    }
    if (room.agentSession !== undefined) return { kind: 'taken' };
    room.agentSession = agentSession;
    room.agentAwayUntil = undefined;
    return { kind: 'resumed', room: view(room) };
  }

  async closeRoom(agent: string, agentSession: string): Promise<RoomView | undefined> {
    const room = this.rooms.get(agent);
    if (!room || room.agentSession !== agentSession) return undefined;
    this.removeRoom(room);
    return view(room);
  }

  async requestRoom(customer: string, ticket: string, now: number, ttlMs: number, limits: QueueLimits, holder?: TicketHolder): Promise<RequestResult> {
    this.sweepTickets(now);
    if (holder === undefined || this.heldBy(holder.key, now) < holder.maxReservations) {
      // A free room nobody in the queue may take goes to the newcomer rather than standing idle.
      const room = this.longestFree(now, this.openToNewcomer);
      if (room) {
        this.reserve(room, ticket, customer, now + ttlMs, holder?.key);
        return { kind: 'reserved', room: view(room) };
      }
    }
    if (this.queue.length >= limits.maxLength) return { kind: 'full' };
    this.tickets.set(ticket, { customer, expiresAt: now + ttlMs });
    return { kind: 'queued', position: this.queue.length + 1 };
  }

  /**
   * Forgets tickets lapsed longer than KEEP_LAPSED_TICKET_MS, at most once a second: memory
   * holds what that span of requests left, and a flood of requests costs one pass a second.
   */
  private sweepTickets(now: number): void {
    if (now >= this.sweptAt && now - this.sweptAt < 1000) return;
    this.sweptAt = now;
    for (const [ticket, entry] of this.tickets) if (entry.expiresAt + KEEP_LAPSED_TICKET_MS <= now) this.tickets.delete(ticket);
  }

  async claimTicket(ticket: string, customer: string, session: string, keys: SeatKeys, now: number, limits: QueueLimits): Promise<ClaimResult> {
    const entry = this.tickets.get(ticket);
    if (!entry) return { kind: 'refused', reason: 'unknown' };
    if (entry.agent === undefined) return this.claimQueued(ticket, entry, customer, session, keys, now, limits);
    const room = this.rooms.get(entry.agent);
    const reservation = room?.reservation?.ticket === ticket ? room.reservation : undefined;
    if (entry.expiresAt <= now) {
      this.tickets.delete(ticket);
      if (room && reservation) room.reservation = undefined;
      return { kind: 'refused', reason: 'expired' };
    }
    if (!room || !reservation) {
      this.tickets.delete(ticket);
      return { kind: 'refused', reason: 'unknown' };
    }
    // A wrong name does not burn the ticket: the rightful customer can still use it.
    if (reservation.customer !== customer) return { kind: 'refused', reason: 'wrong_name' };
    this.tickets.delete(ticket);
    this.seat(room, { name: customer, session, ...keys });
    return { kind: 'seated', room: view(room) };
  }

  private claimQueued(ticket: string, entry: TicketEntry, customer: string, session: string, keys: SeatKeys, now: number, limits: QueueLimits): ClaimResult {
    if (entry.expiresAt <= now) {
      this.tickets.delete(ticket);
      return { kind: 'refused', reason: 'expired' };
    }
    if (entry.customer !== customer) return { kind: 'refused', reason: 'wrong_name' };
    this.tickets.delete(ticket);
    // An agent came free since the ticket was given and nobody waiting may take them.
    const room = this.longestFree(now, this.openToNewcomer);
    if (room) {
      this.seat(room, { name: customer, session, ...keys });
      return { kind: 'seated', room: view(room) };
    }
    if (this.queue.length >= limits.maxLength) return { kind: 'refused', reason: 'full' };
    this.queue.push({ customer, session, keys, waitUntil: now + limits.maxWaitMs });
    return { kind: 'waiting', position: this.queue.length };
  }

  async resumeCustomer(resumeHash: string, customer: string, session: string): Promise<ResumeResult> {
    const agent = this.seatsByResume.get(resumeHash);
    const room = agent === undefined ? undefined : this.rooms.get(agent);
    const seat = room?.customer;
    if (!room || !seat || seat.resumeHash !== resumeHash || seat.name !== customer) return { kind: 'refused' };
    const replaced = seat.session;
    seat.session = session;
    seat.awayUntil = undefined;
    const result: ResumeResult = { kind: 'resumed', room: view(room), seat: seatView(seat) };
    if (replaced !== undefined) result.replaced = replaced;
    return result;
  }

  async leaveRoom(agent: string, customerSession: string): Promise<RoomView | undefined> {
    const room = this.rooms.get(agent);
    if (!room || room.customer?.session !== customerSession) return undefined;
    const before = view(room);
    this.unseat(room);
    return before;
  }

  async leaveQueue(customerSession: string): Promise<QueueLeft | undefined> {
    const index = this.queue.findIndex((e) => e.session === customerSession);
    const entry = this.queue[index];
    if (!entry) return undefined;
    this.queue.splice(index, 1);
    return entry.continued ? { conversationId: entry.keys.conversationId } : {};
  }

  async markAway(agent: string, role: 'kefu' | 'yonghu', session: string, until: number): Promise<RoomView | undefined> {
    const room = this.rooms.get(agent);
    if (!room) return undefined;
    if (role === 'kefu') {
      if (room.agentSession !== session) return undefined;
      room.agentSession = undefined;
      room.agentAwayUntil = until;
    } else {
      if (!room.customer || room.customer.session !== session) return undefined;
      room.customer.session = undefined;
      room.customer.awayUntil = until;
    }
    return view(room);
  }

  async fillFreeRooms(now: number): Promise<Placement[]> {
    const placements: Placement[] = [];
    // Nobody waits (the usual case when an agent connects): nothing to sort.
    if (this.queue.length === 0) return placements;
    const free = this.freeRoomsInOrder(now);
    for (let i = 0; i < this.queue.length && free.length > 0; ) {
      const entry = this.queue[i] as QueueEntry;
      const k = free.findIndex((r) => r.agent !== entry.notAgent);
      if (k === -1) {
        i++;
        continue;
      }
      const room = free.splice(k, 1)[0] as Room;
      this.queue.splice(i, 1);
      // A lapsed reservation's ticket entry stays (expired), so its late holder hears "expired".
      this.seat(room, { name: entry.customer, session: entry.session, ...entry.keys });
      const placement: Placement = { room: view(room), seat: seatView(room.customer as Seat) };
      if (entry.continued) placement.continued = true;
      placements.push(placement);
    }
    return placements;
  }

  async expire(now: number): Promise<Expired> {
    const expired: Expired = { customers: [], agents: [], waiting: [] };
    for (const room of [...this.rooms.values()]) {
      const seat = room.customer;
      if (room.agentSession === undefined && room.agentAwayUntil !== undefined && room.agentAwayUntil <= now) {
        expired.agents.push(view(room));
        this.removeRoom(room);
        continue;
      }
      if (seat && seat.session === undefined && seat.awayUntil !== undefined && seat.awayUntil <= now) {
        expired.customers.push({ room: view(room), seat: seatView(seat) });
        this.unseat(room);
      }
      if (room.reservation && room.reservation.expiresAt <= now) {
        // Keep the ticket entry so its holder hears "expired"; sweepTickets drops it later.
        room.reservation = undefined;
      }
    }
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const entry = this.queue[i] as QueueEntry;
      if (entry.waitUntil <= now) {
        this.queue.splice(i, 1);
        expired.waiting.unshift(
          entry.continued
            ? { customer: entry.customer, session: entry.session, conversationId: entry.keys.conversationId }
            : { customer: entry.customer, session: entry.session },
        );
      }
    }
    return expired;
  }

  async waiting(): Promise<WaitingView[]> {
    return this.queue.map((e, i) => ({ customer: e.customer, session: e.session, position: i + 1 }));
  }

  async getRoom(agent: string): Promise<RoomView | undefined> {
    const room = this.rooms.get(agent);
    return room ? view(room) : undefined;
  }

  async restoreRoom(agent: string, seat: Omit<SeatView, 'session'>, until: number): Promise<void> {
    if (this.rooms.has(agent) || this.roomsByNameKey.has(agentNameKey(agent))) return;
    const room: Room = { agent, agentAwayUntil: until, freeOrder: this.clock++ };
    this.addRoom(room);
    this.seat(room, { ...seat, awayUntil: until });
  }

  async transfer(from: string, fromSession: string, to: string, now: number): Promise<TransferResult> {
    const a = this.rooms.get(from);
    if (!a || a.agentSession !== fromSession) return { kind: 'refused', reason: 'not_owner' };
    const seat = a.customer;
    if (!seat) return { kind: 'refused', reason: 'no_customer' };
    const b = this.rooms.get(to);
    if (!b || b === a || !this.isFree(b, now)) return { kind: 'refused', reason: 'not_free' };
    this.unseat(a);
    this.seat(b, seat);
    return { kind: 'moved', from: view(a), to: view(b), seat: seatView(seat) };
  }

  async requeue(from: string, fromSession: string, waitUntil: number): Promise<RequeueResult> {
    const room = this.rooms.get(from);
    if (!room || room.agentSession !== fromSession) return { kind: 'refused', reason: 'not_owner' };
    const seat = room.customer;
    if (!seat) return { kind: 'refused', reason: 'no_customer' };
    if (seat.session === undefined) return { kind: 'refused', reason: 'customer_away' };
    this.unseat(room);
    this.toQueueHead(seat, seat.session, from, waitUntil);
    return { kind: 'requeued', from: view(room), seat: seatView(seat), position: 1 };
  }

  async requeueAway(agent: string, waitUntil: number): Promise<AwayRequeueResult> {
    const room = this.rooms.get(agent);
    if (!room) return { kind: 'refused', reason: 'no_room' };
    if (room.agentSession !== undefined) return { kind: 'refused', reason: 'not_away' };
    const seat = room.customer;
    if (!seat || seat.session === undefined) {
      this.removeRoom(room);
      return { kind: 'closed', from: view(room) };
    }
    this.unseat(room);
    this.removeRoom(room);
    this.toQueueHead(seat, seat.session, agent, waitUntil);
    return { kind: 'requeued', from: view(room), seat: seatView(seat), position: 1 };
  }

  /** The head of the queue for a customer handed back: they were served already, and wait only for another agent. */
  private toQueueHead(seat: Seat, session: string, from: string, waitUntil: number): void {
    const keys: SeatKeys = { conversationId: seat.conversationId, resumeHash: seat.resumeHash };
    this.queue.unshift({ customer: seat.name, session, keys, waitUntil, continued: true, notAgent: from });
  }

  async listRooms(): Promise<RoomView[]> {
    return [...this.rooms.values()].sort((x, y) => x.freeOrder - y.freeOrder).map(view);
  }

  async sessionsOfNode(node: string): Promise<NodeSession[]> {
    const mine = (s: string | undefined): s is string => typeof s === 'string' && s.startsWith(`${node}.`);
    const out: NodeSession[] = [];
    for (const room of this.rooms.values()) {
      if (mine(room.agentSession)) out.push({ role: 'kefu', name: room.agent, room: room.agent, session: room.agentSession });
      const seat = room.customer;
      if (seat && mine(seat.session)) out.push({ role: 'yonghu', name: seat.name, room: room.agent, session: seat.session });
    }
    for (const e of this.queue) if (mine(e.session)) out.push({ role: 'yonghu', name: e.customer, session: e.session });
    return out;
  }

  async ping(): Promise<void> {}

  async stats(): Promise<RegistryStats> {
    let busy = 0;
    let away = 0;
    for (const room of this.rooms.values()) {
      if (room.customer) busy++;
      if (room.agentSession === undefined) away++;
    }
    return { rooms: this.rooms.size, busy, away, queue: this.queue.length };
  }
}
