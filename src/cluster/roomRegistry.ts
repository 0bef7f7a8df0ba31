import type { Awaitable } from '../awaitable.js';

/**
 * Who is in which room, who is away, and who waits. Every method is async (getRoom, asked for
 * every message, may also answer at once) and every state change that can race is one call, so
 * a Redis implementation can make each one atomic (one Lua script) and the domain never locks.
 */

/** The keys a customer's conversation is known by, minted when they connect. */
export interface SeatKeys {
  conversationId: string;
  /** sha256 of the resume token the customer holds. */
  resumeHash: string;
}

export interface SeatView extends SeatKeys {
  name: string;
  /** Unset while the customer is away (dropped, within grace). */
  session?: string;
}

export interface RoomView {
  agent: string;
  /** Unset while the agent is away (dropped, within grace). */
  agentSession?: string;
  customer?: SeatView;
  /** A customer holding a ticket for this room who has not connected yet. */
  reservedFor?: string;
}

export interface WaitingView {
  customer: string;
  session: string;
  position: number;
}

export type OpenResult =
  | { kind: 'opened' }
  /** The agent came back within grace to a room that was held for them. */
  | { kind: 'resumed'; room: RoomView }
  | { kind: 'taken' };

export type RequestResult =
  | { kind: 'reserved'; room: RoomView }
  | { kind: 'queued'; position: number }
  | { kind: 'full' };

export type ClaimResult =
  | { kind: 'seated'; room: RoomView }
  | { kind: 'waiting'; position: number }
  | { kind: 'refused'; reason: 'unknown' | 'expired' | 'wrong_name' };

export type ResumeResult =
  | { kind: 'resumed'; room: RoomView; seat: SeatView; replaced?: string }
  | { kind: 'refused' };

/** A queued customer moved into a room by fillFreeRooms. */
export interface Placement {
  room: RoomView;
  /** Set when the customer is connected and now seated; otherwise the room is reserved for their ticket. */
  seat?: SeatView;
  /** The customer was handed back to the queue: the seat goes on with the conversation it had. */
  continued?: boolean;
}

/** What handing a customer back to the queue did, or why not. */
export type RequeueResult =
  | { kind: 'requeued'; from: RoomView; seat: SeatView; position: number }
  /** `customer_away`: a customer who dropped cannot wait in the queue (a place there needs a connection). */
  | { kind: 'refused'; reason: 'not_owner' | 'no_customer' | 'customer_away' };

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
  /** Rooms with a customer seated or reserved. */
  busy: number;
  /** Rooms whose agent dropped and is within grace. */
  away: number;
  queue: number;
}

export interface QueueLimits {
  maxLength: number;
  maxWaitMs: number;
}

export interface RoomRegistry {
  /** Opens the agent's room, or reattaches the agent to a room held for them while away. */
  openRoom(agent: string, agentSession: string): Promise<OpenResult>;
  /** Removes the room if this session owns it; returns what was in it. */
  closeRoom(agent: string, agentSession: string): Promise<RoomView | undefined>;
  /**
   * Reserves the free room idle longest for a customer under a ticket, or queues them (first
   * come, first served) when none is free, or says the queue is full. Atomic: concurrent calls
   * never get the same room. A reservation unused after ttlMs lapses and frees the room.
   */
  requestRoom(customer: string, ticket: string, now: number, ttlMs: number, limits: QueueLimits): Promise<RequestResult>;
  /** Single use: the ticket becomes a seat in its room, or a connected place in the queue. */
  claimTicket(ticket: string, customer: string, customerSession: string, keys: SeatKeys, now: number): Promise<ClaimResult>;
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
  fillFreeRooms(now: number, ttlMs: number): Promise<Placement[]>;
  /** Ends whatever is past its time (away grace, queue wait, unused tickets). */
  expire(now: number): Promise<Expired>;
  /** Connected waiting customers with their positions (1 = next). */
  waiting(): Promise<WaitingView[]>;
  /**
   * The room as it is now. Asked twice for every message, so it may answer synchronously
   * (the in-process registry does: see Awaitable).
   */
  getRoom(agent: string): Awaitable<RoomView | undefined>;
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
  /** Every room, in the order its agent became free (presence, team delivery). */
  listRooms(): Promise<RoomView[]>;
  /** Everyone whose session id starts with `node.`: what a dead node leaves behind. */
  sessionsOfNode(node: string): Promise<NodeSession[]>;
  stats(): Promise<RegistryStats>;
  /** Round trip to the registry's service, for /healthz. */
  ping(): Promise<void>;
}
