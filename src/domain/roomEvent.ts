import type { Role } from './participant.js';

/** Something that happened in a room, for transport to turn into frames. */
export type RoomEvent =
  /** To the agent: their room is open and waiting for a customer. */
  | { kind: 'room_opened'; agent: string }
  | { kind: 'agent_assigned'; agent: string }
  | { kind: 'customer_entered'; customer: string }
  | { kind: 'customer_left'; customer: string }
  | { kind: 'agent_left'; agent: string }
  /** The customer's room is gone: send the seed's close command, then end the connection. */
  | { kind: 'dismissed' }
  | { kind: 'message'; sender: string; role: Role; content: string; ts: number };

/** One event for one or more sessions (an echo and its relay share one event, encoded once). */
export interface Delivery {
  to: string[];
  event: RoomEvent;
}
