import type { Role } from './participant.js';

/** A chat message as delivered: stored ones carry id and seq, an agent's note to an empty room does not. */
export interface MessageEvent {
  kind: 'message';
  sender: string;
  role: Role;
  content: string;
  ts: number;
  id?: number;
  seq?: number;
  cid?: string;
  /** Sent again on resume, not live. */
  replay?: boolean;
  /** An ack for a resend whose cid was already stored: the peer had it already. */
  duplicate?: boolean;
}

/** Something that happened, for transport to turn into frames. */
export type RoomEvent =
  /** To the agent: their room is open and waiting for a customer. */
  | { kind: 'room_opened'; agent: string }
  /** To the customer; `resume` is their resume token, sent once, on the first frame after connecting. */
  | { kind: 'agent_assigned'; agent: string; conversationId: string; resume?: string }
  | { kind: 'customer_entered'; customer: string; conversationId: string }
  | { kind: 'customer_left'; customer: string; timeout?: boolean }
  | { kind: 'agent_left'; agent: string }
  /** The customer is done here: send the seed's close command, then end the connection. */
  | { kind: 'dismissed'; reason: 'agent_left' | 'queue_timeout' }
  /** The peer dropped abnormally and has `graceMs` to come back. */
  | { kind: 'peer_away'; peer: string; role: Role; graceMs: number }
  | { kind: 'peer_back'; peer: string; role: Role }
  /** A reconnect succeeded; when `recovered` is false the missed messages were not replayed. */
  | { kind: 'resumed'; conversationId?: string; recovered: boolean; lastSeq: number }
  | { kind: 'queue_position'; position: number; resume?: string }
  | { kind: 'queue_timeout' }
  /** Another connection took over this one (a reload whose old socket had not closed yet). */
  | { kind: 'replaced' }
  | { kind: 'refused'; error: 'not_in_room' | 'store_failed' | 'unavailable'; cid?: string }
  | MessageEvent;

/** One event for one or more sessions (an echo and its relay share one event, encoded once). */
export interface Delivery {
  to: string[];
  event: RoomEvent;
}
