import type { QueueLimits, RoomRegistry, SeatKeys } from '../../src/cluster/roomRegistry.js';

/** A short queue, so the contract suites can fill it. */
export const SHORT_QUEUE: QueueLimits = { maxLength: 3, maxWaitMs: 10_000 };

/** The seat keys a customer named `n` is given in the registry contract suites. */
export const seatKeys = (n: string): SeatKeys => ({ conversationId: `conv-${n}`, resumeHash: `hash-${n}` });

/**
 * Opens `agent`'s room (capacity 1, session `s-AGENT`) and seats `customer` in it (session
 * `cs-CUSTOMER`, ticket `t-CUSTOMER`), the way a seed console and a customer page start a chat.
 */
export async function seatedPair(r: RoomRegistry, agent = 'alice', customer = 'bob'): Promise<RoomRegistry> {
  await r.openRoom(agent, `s-${agent}`, 1);
  await r.requestRoom(customer, `t-${customer}`, 0, 1000, SHORT_QUEUE);
  const claim = await r.claimTicket(`t-${customer}`, customer, `cs-${customer}`, seatKeys(customer), 1, SHORT_QUEUE);
  if (claim.kind !== 'seated') throw new Error('not seated');
  return r;
}

/** A queue long enough that the contract suites never fill it by accident. */
export const LONG_QUEUE: QueueLimits = { maxLength: 100, maxWaitMs: 10_000 };

export const conversationOf = (n: string): string => seatKeys(n).conversationId;

/**
 * A customer asks for an agent at `now` and connects with the ticket they got (ticket
 * `t-CUSTOMER`, session `cs-CUSTOMER`): the agent who seated them, or undefined if they wait.
 */
export async function arrive(r: RoomRegistry, customer: string, now = 0): Promise<string | undefined> {
  await r.requestRoom(customer, `t-${customer}`, now, 1000, LONG_QUEUE);
  const claim = await r.claimTicket(`t-${customer}`, customer, `cs-${customer}`, seatKeys(customer), now + 1, LONG_QUEUE);
  if (claim.kind === 'refused') throw new Error(`${customer} refused: ${claim.reason}`);
  return claim.kind === 'seated' ? claim.room.agent : undefined;
}

/** Who is seated in the agent's room, in seat order. */
export async function seatNames(r: RoomRegistry, agent: string): Promise<string[] | undefined> {
  return (await r.getRoom(agent))?.seats.map((s) => s.name);
}
