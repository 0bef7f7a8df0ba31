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
