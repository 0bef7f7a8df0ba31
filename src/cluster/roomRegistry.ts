import { nameSkeleton } from '../protocol/confusables.js';

/** How long a lapsed ticket is remembered, so its late holder hears "expired" rather than "unknown". */
export const KEEP_LAPSED_TICKET_MS = 2 * 60_000;

/** The keys a customer's conversation is known by, minted when they connect. */
export interface SeatKeys {
  conversationId: string;
  /** sha256 of the resume token the customer holds. */
  resumeHash: string;
}

/** A customer's seat in a room: who sits there and under which conversation. */
export interface SeatView extends SeatKeys {
  name: string;
  /** Unset while the customer is away (dropped, within grace). */
  session?: string;
}

/** An agent's room as it is now: the agent, and the customer seated or reserved, if any. */
export interface RoomView {
  agent: string;
  /** Unset while the agent is away (dropped, within grace). */
  agentSession?: string;
  customer?: SeatView;
  /** A customer holding a ticket for this room who has not connected yet (never shown as serving). */
  reservedFor?: string;
}

/** A connected customer waiting in the queue, and where they stand (1 = next). */
export interface WaitingView {
  customer: string;
  session: string;
  position: number;
}

/** What opening an agent's room did. */
export type OpenResult =
  | { kind: 'opened' }
  /** The agent came back within grace to a room that was held for them. */
  | { kind: 'resumed'; room: RoomView }
  | { kind: 'taken' };

/**
 * What a request for an agent got. `queued` is only a ticket to queue with: the place is taken
 * when the customer connects with it, and `position` is where they would stand now.
 */
export type RequestResult = { kind: 'reserved'; room: RoomView } | { kind: 'queued'; position: number } | { kind: 'full' };

/**
 * What connecting with a ticket did. `full`: a queue ticket whose holder came back to a queue
 * that filled up meanwhile.
 */
export type ClaimResult =
  | { kind: 'seated'; room: RoomView }
  | { kind: 'waiting'; position: number }
  | { kind: 'refused'; reason: 'unknown' | 'expired' | 'wrong_name' | 'full' };

/**
 * Who asked for a ticket (their client address), and how many unused reservations of free
 * agents they may hold at once: past it they are given a queue ticket instead, which holds
 * nothing until they connect with it.
 */
export interface TicketHolder {
  key: string;
  maxReservations: number;
}

/** What a customer coming back with their resume token got; `replaced` is the stale session they took over from. */
export type ResumeResult = { kind: 'resumed'; room: RoomView; seat: SeatView; replaced?: string } | { kind: 'refused' };

/** A waiting customer seated in a room by fillFreeRooms. */
export interface Placement {
  room: RoomView;
  seat: SeatView;
  /** The customer was handed back to the queue: the seat goes on with the conversation it had. */
  continued?: boolean;
}

/** What handing a customer back to the queue did, or why not. */
export type RequeueResult =
  | { kind: 'requeued'; from: RoomView; seat: SeatView; position: number }
  /** `customer_away`: a customer who dropped cannot wait in the queue (a place there needs a connection). */
  | { kind: 'refused'; reason: 'not_owner' | 'no_customer' | 'customer_away' };

/**
 * What closing an away agent's room did (requeueAway): their connected customer went to the head
 * of the queue, or the room closed with nobody to hand back (`from.customer` is a customer away
 * too), or nothing was done: no such room, or its agent is connected (`not_away`).
 */
export type AwayRequeueResult =
  | { kind: 'requeued'; from: RoomView; seat: SeatView; position: number }
  | { kind: 'closed'; from: RoomView }
  | { kind: 'refused'; reason: 'no_room' | 'not_away' };

/** A connected customer who left the queue; `conversationId` when they had one (handed back). */
export interface QueueLeft {
  conversationId?: string;
}

/** What expire() found past its time. */
export interface Expired {
  /** Seats whose customer stayed away past grace; the room is free again. */
  customers: Array<{ room: RoomView; seat: SeatView }>;
  /** Rooms whose agent stayed away past grace; the room is removed. */
  agents: RoomView[];
  /** Connected waiting customers who waited past the limit; they are out of the queue. */
  waiting: Array<{ customer: string; session: string; conversationId?: string }>;
}

/** A participant connected through a given node, for cleaning up after that node dies. */
export interface NodeSession {
  role: 'kefu' | 'yonghu';
  name: string;
  session: string;
  /** Unset for a customer waiting in the queue. */
  room?: string;
}

/** What a transfer did: the seat moved from one room to the other, or why not. */
export type TransferResult =
  | { kind: 'moved'; from: RoomView; to: RoomView; seat: SeatView }
  | { kind: 'refused'; reason: 'not_owner' | 'no_customer' | 'not_free' };

/** Counts for /metrics. */
export interface RegistryStats {
  rooms: number;
  /** Rooms with a customer seated (a reservation not yet used does not count). */
  busy: number;
  /** Rooms whose agent dropped and is within grace. */
  away: number;
  queue: number;
}

/** How long the queue may grow, and how long a place in it is held. */
export interface QueueLimits {
  maxLength: number;
  maxWaitMs: number;
}

/**
 * What makes two agent names one: their confusable skeleton, case folded, so no agent can come
 * online as a look-alike of one who is (`Agent7`, `agent7` and Cyrillic `Аgent7` are one name).
 */
export function agentNameKey(agent: string): string {
  return nameSkeleton(agent.toLowerCase());
}

/**
 * Who is in which room, who is away, and who waits. Every method is async (getRoom, asked for
 * every message, may also answer at once) and every state change that can race is one call, so
 * a Redis implementation can make each one atomic (one Lua script) and the domain never locks.
 */
export interface RoomRegistry {
  /**
   * Opens the agent's room, or reattaches the agent to a room held for them while away; `taken`
   * when an agent with this name, or one that looks the same (agentNameKey), has a room.
   */
  openRoom(agent: string, agentSession: string): Promise<OpenResult>;
  /** Removes the room if this session owns it; returns what was in it. */
  closeRoom(agent: string, agentSession: string): Promise<RoomView | undefined>;
  /**
   * Reserves the free room idle longest for a customer under a ticket (unless `holder` already
   * holds its share of unused reservations), or gives a queue ticket when none is free, or says
   * the queue is full. Atomic: concurrent calls never get the same room. Either ticket lapses
   * unused after ttlMs; a queue ticket holds no place until it is claimed, so one never used
   * costs nobody anything.
   */
  requestRoom(customer: string, ticket: string, now: number, ttlMs: number, limits: QueueLimits, holder?: TicketHolder): Promise<RequestResult>;
  /**
   * Single use: a room ticket becomes a seat in its room; a queue ticket becomes a seat with a
   * free agent nobody waiting may take, or else a connected place at the back of the queue
   * (waiting at most `limits.maxWaitMs` from now), or `full`.
   */
  claimTicket(ticket: string, customer: string, customerSession: string, keys: SeatKeys, now: number, limits: QueueLimits): Promise<ClaimResult>;
  /** A seated customer comes back with their resume token; a stale session is replaced. */
  resumeCustomer(resumeHash: string, customer: string, customerSession: string): Promise<ResumeResult>;
  /** The seated customer leaves for good; returns the room (now free) if the seat was theirs. */
  leaveRoom(agent: string, customerSession: string): Promise<RoomView | undefined>;
  /** A waiting customer leaves the queue; what they left, or undefined if they were not in it. */
  leaveQueue(customerSession: string): Promise<QueueLeft | undefined>;
  /** Marks a dropped participant away until `until`; returns the room if the session was there. */
  markAway(agent: string, role: 'kefu' | 'yonghu', session: string, until: number): Promise<RoomView | undefined>;
  /**
   * Moves queue heads into free rooms (rooms whose agent is present), in queue order, each to
   * the free agent idle longest, except that a customer handed back is never placed with the
   * agent who handed them back.
   */
  fillFreeRooms(now: number): Promise<Placement[]>;
  /** Ends whatever is past its time (away grace, queue wait, unused reservations). */
  expire(now: number): Promise<Expired>;
  /** Connected waiting customers with their positions (1 = next). */
  waiting(): Promise<WaitingView[]>;
  /** The room as it is now (asked twice for every message: before and after it is stored). */
  getRoom(agent: string): Promise<RoomView | undefined>;
  /** Re-creates a room held for an open conversation after a restart, both sides away. */
  restoreRoom(agent: string, seat: Omit<SeatView, 'session'>, until: number): Promise<void>;
  /**
   * Moves the customer seated in `from` (whose agent is `fromSession`) into the free room of
   * `to`, seat, conversation and resume token unchanged. Atomic: two transfers to one free agent,
   * or a transfer racing a placement, never leave two customers in a room.
   */
  transfer(from: string, fromSession: string, to: string, now: number): Promise<TransferResult>;
  /**
   * Hands the connected customer seated in `from` (whose agent is `fromSession`) back to the
   * head of the queue, conversation and resume hash kept; `from` is free again. Atomic like
   * transfer. They wait at most until `waitUntil`.
   */
  requeue(from: string, fromSession: string, waitUntil: number): Promise<RequeueResult>;
  /**
   * Closes the room of `agent` only while the agent is away (their account's sessions ended, so
   * they may not come back into it): a connected customer seated there goes to the head of the
   * queue as in requeue (never placed with this agent again), until `waitUntil`. Atomic, so of
   * several nodes asking at once exactly one gets the room and the rest `no_room`.
   */
  requeueAway(agent: string, waitUntil: number): Promise<AwayRequeueResult>;
  /** Every room, in the order its agent became free (presence, team delivery). */
  listRooms(): Promise<RoomView[]>;
  /** Everyone whose session id starts with `node.`: what a dead node leaves behind. */
  sessionsOfNode(node: string): Promise<NodeSession[]>;
  /** Counts for /metrics. */
  stats(): Promise<RegistryStats>;
  /** Round trip to the registry's service, for /healthz. */
  ping(): Promise<void>;
}
