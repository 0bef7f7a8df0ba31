/**
 * Who is in which room. Every method is async and every state change that can race is a
 * single call, so a Redis implementation can make each one atomic (one Lua script) and the
 * domain never has to lock.
 */
export interface RoomView {
  agent: string;
  agentSession: string;
  /** The customer placed in the room; `session` is unset while only reserved by a ticket. */
  customer?: { name: string; session?: string };
}

export type TicketClaim =
  | { ok: true; room: RoomView }
  | { ok: false; reason: 'unknown' | 'expired' | 'wrong_name' };

export interface RoomRegistry {
  /** Opens the agent's room; false when an agent with that name is already online. */
  openRoom(agent: string, agentSession: string): Promise<boolean>;
  /** Removes the room if this session owns it; returns what was in it. */
  closeRoom(agent: string, agentSession: string): Promise<RoomView | undefined>;
  /**
   * Reserves one free room for a customer under a ticket, atomically: concurrent calls never
   * get the same room. A room whose reservation expired unused counts as free. Among free
   * rooms the one idle longest is chosen, so work spreads across agents.
   */
  reserveRoom(customer: string, ticket: string, now: number, ttlMs: number): Promise<RoomView | undefined>;
  /** Single use: the ticket's reservation becomes the customer's seat in the room. */
  claimTicket(ticket: string, customer: string, customerSession: string, now: number): Promise<TicketClaim>;
  /** The customer session leaves the room; returns the room (now free) if they were in it. */
  leaveRoom(agent: string, customerSession: string): Promise<RoomView | undefined>;
  /** The room as it is now. */
  getRoom(agent: string): Promise<RoomView | undefined>;
}
