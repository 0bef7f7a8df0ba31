import type { AgentStatus } from '../cluster/roomRegistry.js';
import type { ImageRef } from '../protocol/imageFormat.js';
import type { BotExchange } from '../protocol/botExchange.js';
import type { AgentPresence, InboxConversation, QueueEntry } from '../protocol/frames.js';
import type { OfflineMessage } from '../protocol/offlineMessage.js';
import type { StoredMessage } from '../store/conversationStore.js';
import type { TeamMessage } from '../store/teamStore.js';
import type { Role } from './participant.js';

/** A chat message as delivered: stored ones carry id and seq, an agent's note to an empty room does not. */
export interface MessageEvent {
  kind: 'message';
  /** The conversation a stored message belongs to (unset on an echo that was not stored). */
  conversationId?: string;
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
  /** Set on an image message. */
  image?: ImageRef;
}

/** A team-channel message or private note between agents, as delivered. */
export interface TeamEvent {
  kind: 'team';
  id: number;
  sender: string;
  /** Set on a private note: the one agent it is for. */
  to?: string;
  content: string;
  ts: number;
  cid?: string;
  /** Sent as history when the agent connects, not live. */
  replay?: boolean;
  duplicate?: boolean;
}

/**
 * The FAQ bot's answer to a customer waiting in the queue: the matching entry's answer, or
 * (`matched` false) the FAQ's fallback, told with where the customer stands.
 */
export interface BotEvent {
  kind: 'bot';
  content: string;
  matched: boolean;
  ts: number;
  /** On a fallback: the customer's place in the queue. */
  position?: number;
  /** On a fallback: agents online now; 0 means the customer may leave a message. */
  agentsOnline?: number;
  /** Asked outside business hours: the team is closed, back at `opensAt` (ms; absent: no opening ahead). */
  closed?: boolean;
  opensAt?: number;
}

/** Who is online and who waits: what every agent's console shows. */
export interface PresenceEvent {
  kind: 'presence';
  agents: AgentPresence[];
  waiting: number;
  /** The first connected customers waiting (PRESENCE_QUEUE_LENGTH at most), next first. */
  queue: QueueEntry[];
}

/** Something that happened, for transport to turn into frames. */
export type RoomEvent =
  /** To the agent: their room is open and waiting for customers (a protocol-2 console also learns its capacity and status). */
  | { kind: 'room_opened'; agent: string; capacity?: number; status?: AgentStatus }
  /** To a protocol-2 agent, after room_opened or a resume: the conversations open in their room. */
  | { kind: 'inbox'; conversations: InboxConversation[]; capacity: number; status: AgentStatus }
  /** To the agent who resolved a conversation: it is over and the slot is free. */
  | { kind: 'conversation_resolved'; customer: string; conversationId: string }
  /** To the agent who set their status. */
  | { kind: 'status'; status: AgentStatus }
  /** To the customer; `resume` is their resume token, sent once, on the first frame after connecting. */
  | { kind: 'agent_assigned'; agent: string; conversationId: string; resume?: string; transferredFrom?: string; avatar?: string }
  /** To the agent, with what the console shows about the customer: avatar, when the chat started, how long they waited. */
  | {
      kind: 'customer_entered';
      customer: string;
      conversationId: string;
      transferredFrom?: string;
      avatar?: string;
      startedAt?: number;
      waitedMs?: number;
      visitorId?: string;
      /** The customer's e-mail: the one the site signed (with `verified`), else the one they typed on the pre-chat form. */
      email?: string;
      /** The embedding site signed the visitor's identity (their name and `email` are the site's). */
      verified?: true;
    }
  /** To the agent who handed their customer to another agent. */
  | { kind: 'customer_transferred'; customer: string; to: string; conversationId: string }
  /** To the agent who handed their customer back to the queue. */
  | { kind: 'customer_requeued'; customer: string; conversationId: string }
  /** To the customer handed back to the queue: they wait at `position` for another agent, same conversation. */
  | { kind: 'requeued'; agent: string; position: number; conversationId: string }
  | { kind: 'customer_left'; customer: string; conversationId: string; timeout?: boolean }
  /** To the customer: their agent left, or (`resolved`) finished this conversation. */
  | { kind: 'agent_left'; agent: string; conversationId: string; resolved?: boolean }
  /** The customer is done here: send the seed's close command, then end the connection. */
  | { kind: 'dismissed'; reason: 'agent_left' | 'queue_timeout' }
  /** The peer dropped abnormally and has `graceMs` to come back. */
  | { kind: 'peer_away'; peer: string; role: Role; graceMs: number; conversationId: string }
  | { kind: 'peer_back'; peer: string; role: Role; conversationId: string }
  /** A reconnect succeeded; when `recovered` is false the missed messages were not replayed. */
  | { kind: 'resumed'; conversationId?: string; recovered: boolean; lastSeq: number; unread?: number }
  /** The peer is typing (relayed, never stored). */
  | { kind: 'typing'; peer: string; role: Role; conversationId: string }
  | { kind: 'queue_position'; position: number; resume?: string }
  | { kind: 'queue_timeout' }
  /** Another connection took over this one (a reload whose old socket had not closed yet). */
  | { kind: 'replaced' }
  | { kind: 'refused'; error: RefusedError; cid?: string; conversationId?: string }
  /** To the agent: the customer of one of their conversations rated it. */
  | { kind: 'rated'; customer: string; conversationId: string; score: number; comment?: string }
  /**
   * To an agent: messages customers left while no agent was online, not handled yet (when the
   * agent connects), or one just left (`live`).
   */
  | { kind: 'offline_messages'; messages: OfflineMessage[]; live?: boolean }
  /** To the agent who takes a customer from the queue: what the customer asked the bot meanwhile. */
  | { kind: 'bot_history'; customer: string; conversationId: string; exchanges: BotExchange[] }
  | MessageEvent
  | BotEvent
  | TeamEvent
  | PresenceEvent;

/** Why the broker did not accept a frame (the wire's `error` codes). */
export type RefusedError =
  | 'not_in_room'
  | 'store_failed'
  | 'unavailable'
  | 'agents_only'
  | 'agent_unavailable'
  | 'no_customer'
  | 'bad_target'
  | 'bad_image'
  | 'customer_away'
  | 'conversation_required'
  | 'unknown_conversation';

/** One event for one or more sessions (an echo and its relay share one event, encoded once). */
export interface Delivery {
  to: string[];
  event: RoomEvent;
}

/** A stored chat message as delivered; `extra` marks a replay or a duplicate's ack. */
export function messageEvent(m: StoredMessage, extra?: Partial<MessageEvent>): MessageEvent {
  // Every stored message goes through here: no spread of an empty `extra` on the live path.
  const e: MessageEvent = {
    kind: 'message',
    conversationId: m.conversationId,
    sender: m.sender,
    role: m.role,
    content: m.content,
    ts: m.ts,
    id: m.id,
    seq: m.seq,
  };
  if (extra !== undefined) Object.assign(e, extra);
  if (m.cid !== null) e.cid = m.cid;
  if (m.image !== null) e.image = m.image;
  return e;
}

/** A stored team message as delivered; `extra` marks history or a duplicate's ack. */
export function teamEvent(m: TeamMessage, extra: Partial<TeamEvent> = {}): TeamEvent {
  const e: TeamEvent = { kind: 'team', id: m.id, sender: m.sender, content: m.content, ts: m.ts, ...extra };
  if (m.to !== null) e.to = m.to;
  if (m.cid !== null) e.cid = m.cid;
  return e;
}

/** The one delivery that tells `to` a frame was not accepted, with the frame's cid and conversation when it named them. */
export function refusal(to: string, error: RefusedError, cid?: string, conversationId?: string): Delivery[] {
  const event: Extract<RoomEvent, { kind: 'refused' }> = cid === undefined ? { kind: 'refused', error } : { kind: 'refused', error, cid };
  if (conversationId !== undefined) event.conversationId = conversationId;
  return [{ to: [to], event }];
}
