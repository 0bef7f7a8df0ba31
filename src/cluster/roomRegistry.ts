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

/** What an agent chose: `away` takes no new customers and keeps the ones seated. */
export type AgentStatus = 'online' | 'away';

/**
 * An agent's room as it is now: the agent, and the customers seated or reserved in it. A seed
 * console's room holds one customer (capacity 1); a protocol-2 console's holds up to the
 * account's capacity, one conversation per seat.
 */
export interface RoomView {
  agent: string;
  /** Unset while the agent is away (dropped, within grace). */
  agentSession?: string;
  /** How many customers the room takes at once (seated plus reserved). */
  capacity: number;
  status: AgentStatus;
  /** Seated customers, in the order they were seated. */
  seats: SeatView[];
  /** Customers holding a live ticket for this room who have not connected yet (never shown as serving). */
  reservedFor: string[];
}

/**
 * A connected customer waiting in the queue, and where they stand (1 = next). Customers away
 * from the queue (dropped, within grace) are not listed but keep their place, so they count in
 * the positions of those behind them.
 */
export interface WaitingView {
  customer: string;
  session: string;
  position: number;
}

/** What opening an agent's room did. */
export type OpenResult =
  | { kind: 'opened' }
  /**
   * The agent came back within grace to a room that was held for them; `awayUntil` is when the
   * grace would have run out (so the caller knows when the agent went away).
   */
  | { kind: 'resumed'; room: RoomView; awayUntil?: number }
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

/**
 * What a customer coming back with their resume token got: their seat, or (`waiting`) their
 * place in the queue, kept while they were away; `replaced` is the stale session they took over from.
 */
export type ResumeResult =
  | { kind: 'resumed'; room: RoomView; seat: SeatView; replaced?: string }
  /** `waitUntil`: when the wait that began with joining the queue runs out (as set by claimTicket or requeue). */
  | { kind: 'waiting'; position: number; conversationId: string; waitUntil: number; replaced?: string }
  | { kind: 'refused' };

/** A waiting customer seated in a room by fillFreeRooms. */
export interface Placement {
  room: RoomView;
  seat: SeatView;
  /** The customer was handed back to the queue: the seat goes on with the conversation it had. */
  continued?: boolean;
}

/** A seat that ended: the room as it is after, and the seat that left it. */
export interface SeatLeft {
  room: RoomView;
  seat: SeatView;
}

/** What marking a dropped participant away did: the room, and the customer's seat when a customer dropped. */
export interface AwayMarked {
  room: RoomView;
  seat?: SeatView;
}

/** What an agent resolving a conversation did, or why not (`no_customer`: no such conversation in the room). */
export type ResolveResult = { kind: 'resolved'; room: RoomView; seat: SeatView } | { kind: 'refused'; reason: 'not_owner' | 'no_customer' };

/** What handing a customer back to the queue did, or why not. */
export type RequeueResult =
  | { kind: 'requeued'; from: RoomView; seat: SeatView; position: number }
  /** `customer_away`: a customer who dropped cannot wait in the queue (a place there needs a connection). */
  | { kind: 'refused'; reason: 'not_owner' | 'no_customer' | 'customer_away' };

/**
 * What closing an away agent's room did (requeueAway): the room closed; its connected customers
 * went to the head of the queue (in seat order), and customers away too were dropped with it. Or
 * nothing was done: no such room, or its agent is connected (`not_away`).
 */
export type AwayRequeueResult =
  | { kind: 'closed'; from: RoomView; requeued: Array<{ seat: SeatView; position: number }>; dropped: SeatView[] }
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
  /**
   * Waiting customers who waited past the limit, or stayed away from the queue past grace
   * (`session` unset: nobody to tell); they are out of the queue.
   */
  waiting: Array<{ customer: string; session?: string; conversationId?: string }>;
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
  /** Rooms with at least one customer seated (a reservation not yet used does not count). */
  busy: number;
  /** Customers seated, in all rooms. */
  seats: number;
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
   * Opens the agent's room taking `capacity` customers at once (1 to 20), status online, or
   * reattaches the agent to a room held for them while away (its capacity becomes `capacity`;
   * seats past it stay, and no new ones come until it has room again; its status is kept);
   * `taken` when an agent with this name, or one that looks the same (agentNameKey), has a room.
   */
  openRoom(agent: string, agentSession: string, capacity: number): Promise<OpenResult>;
  /** Removes the room if this session owns it; returns what was in it. */
  closeRoom(agent: string, agentSession: string): Promise<RoomView | undefined>;
  /**
   * Reserves a free slot for a customer under a ticket (unless `holder` already holds its share
   * of unused reservations), or gives a queue ticket when none is free, or says the queue is
   * full. A free slot is in a room whose agent is present, online and below capacity (seated
   * plus live reservations); the room chosen has the fewest of those, then has been idle longest
   * (free order: set when the room opens, bumped whenever a seat leaves it). Atomic: concurrent
   * calls never put a room past its capacity. Either ticket lapses
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
  /**
   * A seated customer, or one with a place in the queue, comes back with their resume token; a
   * stale session is replaced. A place in the queue is taken back as it stands (it was kept).
   */
  resumeCustomer(resumeHash: string, customer: string, customerSession: string): Promise<ResumeResult>;
  /** A seated customer leaves for good; the seat that left and the room after, if the session had a seat there. */
  leaveRoom(agent: string, customerSession: string): Promise<SeatLeft | undefined>;
  /** The agent (`agentSession` owns the room) ends the conversation seated there, whether its customer is connected or away. */
  resolve(agent: string, agentSession: string, conversationId: string): Promise<ResolveResult>;
  /** Sets the agent's status (`agentSession` owns the room); the room after, or undefined if not theirs. */
  setStatus(agent: string, agentSession: string, status: AgentStatus): Promise<RoomView | undefined>;
  /** A waiting customer leaves the queue; what they left, or undefined if they were not in it. */
  leaveQueue(customerSession: string): Promise<QueueLeft | undefined>;
  /**
   * Marks a waiting customer who dropped away from the queue until `until`: they keep their
   * place, placement passes them by until they come back (resumeCustomer), and expire takes
   * them out after. Their position, or undefined if the session was not waiting.
   */
  markQueueAway(customerSession: string, until: number): Promise<number | undefined>;
  /** Marks a dropped participant away until `until`; the room (and a customer's seat) if the session was there. */
  markAway(agent: string, role: 'kefu' | 'yonghu', session: string, until: number): Promise<AwayMarked | undefined>;
  /**
   * Moves queue heads into free slots, in queue order, each to the room chosen as in
   * requestRoom (fewest seated plus reserved, then idle longest), except that a customer handed back is never placed with the
   * agent who handed them back. Customers away from the queue are passed by, keeping their place.
   */
  fillFreeRooms(now: number): Promise<Placement[]>;
  /** Ends whatever is past its time (away grace, in a seat or in the queue; queue wait; unused reservations). */
  expire(now: number): Promise<Expired>;
  /** Connected waiting customers with their positions (1 = next). */
  waiting(): Promise<WaitingView[]>;
  /** The room as it is now (asked for every message). */
  getRoom(agent: string): Promise<RoomView | undefined>;
  /**
   * Re-creates a room held for an open conversation after a restart, both sides away: the first
   * call for an agent creates the room, later ones add their seat to it (capacity grows to fit,
   * until the agent opens the room with theirs). A conversation already seated is left alone.
   */
  restoreRoom(agent: string, seat: Omit<SeatView, 'session'>, until: number): Promise<void>;
  /**
   * Moves the customer of `conversationId` seated in `from` (whose agent is `fromSession`) into a
   * free slot of `to` (present, online, below capacity), seat, conversation and resume token
   * unchanged. Atomic: two transfers to one last free slot, or a transfer racing a placement,
   * never put a room past its capacity.
   */
  transfer(from: string, fromSession: string, conversationId: string, to: string, now: number): Promise<TransferResult>;
  /**
   * Hands the connected customer of `conversationId` seated in `from` (whose agent is
   * `fromSession`) back to the head of the queue, conversation and resume hash kept; the slot is
   * free again. Atomic like transfer. They wait at most until `waitUntil`.
   */
  requeue(from: string, fromSession: string, conversationId: string, waitUntil: number): Promise<RequeueResult>;
  /**
   * Closes the room of `agent` only while the agent is away (their account's sessions ended, so
   * they may not come back into it): each connected customer seated there goes to the head of
   * the queue as in requeue (never placed with this agent again; several keep their seat order),
   * until `waitUntil`; customers away too are dropped. Atomic, so of
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
