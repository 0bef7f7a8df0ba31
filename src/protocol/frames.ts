import type { BotExchange } from './botExchange.js';
import { FrameError, type FrameErrorCode } from './errorCodes.js';
import { IMAGE_ID, type ImageMime } from './imageFormat.js';
import { checkName } from './names.js';
import { hasNul } from './nulChar.js';
import type { OfflineMessage } from './offlineMessage.js';

/**
 * What kind of server frame this is. Seed clients read only neiRong/shuiFaDe; newer clients
 * switch on `type` instead of parsing the Chinese texts.
 */
export type ServerFrameType = 'message' | 'system' | 'close' | 'error' | 'typing' | 'presence' | 'team' | 'bot' | 'bot_history' | 'offline_messages' | 'inbox';

/** A frame the server sends. neiRong/shuiFaDe keep the seed meaning; the rest is additive. */
export interface ServerFrame {
  neiRong: string;
  shuiFaDe: string;
  type: ServerFrameType;
  /** For `message`: who wrote it, so a page can tell own from peer even when names clash. */
  role?: 'kefu' | 'yonghu';
  /** For `system`: what happened, machine-readable (e.g. `agent_assigned`). */
  event?: string;
  /** For `error`: a short code from FrameError. */
  error?: FrameErrorCode;
  /** Server time in ms since the epoch. */
  ts: number;
  /** Stored messages: global id and per-conversation sequence number. */
  id?: number;
  seq?: number;
  /** The sender's client message id, echoed on the ack (and on errors about that frame). */
  cid?: string;
  /** A message sent again on resume. */
  replay?: boolean;
  /** An ack for a resend already stored: not delivered to the peer again. */
  duplicate?: boolean;
  /** Event details (see the frame table in docs/protocol.md). */
  conversationId?: string;
  resume?: string;
  position?: number;
  recovered?: boolean;
  lastSeq?: number;
  graceMs?: number;
  peer?: string;
  timeout?: boolean;
  /** How many customer messages arrived while an agent was away (on `resumed`). */
  unread?: number;
  /** `presence`: every online agent and what they are doing, and the queue. */
  agents?: AgentPresence[];
  online?: number;
  waiting?: number;
  /** `presence`: the first connected customers waiting, for the console's waiting list. */
  queue?: QueueEntry[];
  /** `room_opened`, `inbox` (protocol-2 consoles): how many conversations the agent takes at once. */
  capacity?: number;
  /** `room_opened`, `inbox`, `status`: whether the agent takes new customers. */
  status?: 'online' | 'away';
  /** `inbox`: the agent's open conversations. */
  conversations?: InboxConversation[];
  /** `agent_left`: the agent finished this conversation (resolve) rather than leaving. */
  resolved?: boolean;
  /** `team`: the addressee of a private note (absent: the whole team). */
  to?: string;
  /** `agent_assigned` / `customer_entered` after a transfer: the agent who handed over. */
  transferredFrom?: string;
  /** `customer_transferred`: the agent who took the customer. */
  transferredTo?: string;
  /** The agent / customer a system notice is about (the name inside its Chinese text). */
  agent?: string;
  customer?: string;
  /** An image message: the image, with a URL to fetch it (`neiRong` is `[图片]` for older clients). */
  image?: ImageFrameField;
  /** Display info: the person's avatar id from the built-in set. */
  avatar?: string;
  /** `customer_entered`: when the conversation started and how long the customer waited, ms. */
  startedAt?: number;
  /** `customer_entered`: the customer page's visitor id, when it sent one (protocol/visitorId.ts). */
  visitorId?: string;
  waitedMs?: number;
  /** `customer_entered`: the customer's e-mail: the one the site signed (with `verified`), else the one typed on the pre-chat form. */
  email?: string;
  /** `customer_entered`: true when the embedding site signed the customer's identity (name and e-mail). */
  verified?: boolean;
  /** `rated`: the customer's score (1-5) and comment, if any. */
  score?: number;
  comment?: string;
  /** `bot`: true when the answer came from a FAQ entry, false for the fallback. */
  matched?: boolean;
  /** `bot` fallback: how many agents are online (0: the customer may leave a message). */
  agentsOnline?: number;
  /** `bot` outside business hours: the team is closed, and opens again at `opensAt` (ms since the epoch). */
  closed?: boolean;
  opensAt?: number;
  /**
   * `bot` fallback: the FAQ's fallback text alone (in the customer's language), for pages that
   * write the line themselves; neiRong frames it in Chinese as the seed design does.
   */
  fallback?: string;
  /** `offline_messages`: messages left while no agent was online, not yet handled. */
  offlineMessages?: OfflineMessage[];
  /** `bot_history`: what the customer asked the bot while waiting, oldest first. */
  botExchanges?: BotExchange[];
  /** `offline_messages`: one message just left, rather than the backlog on connect. */
  live?: boolean;
}

/** The image of an image message, as frames and the transcripts API show it. */
export interface ImageFrameField {
  id: string;
  /** A same-origin path that works in an <img> for a limited time (signed; see docs/http-api.md, Signed URLs). */
  url: string;
  mime: ImageMime;
  bytes: number;
  width?: number;
  height?: number;
}

/** One agent as the presence frame shows them. */
export interface AgentPresence {
  name: string;
  /** `away` while dropped; `free` when online with a free slot; else `serving`. */
  state: 'free' | 'serving' | 'away';
  avatar?: string;
  status: 'online' | 'away';
  /** Customers seated with the agent now. */
  chats: number;
  capacity: number;
}

/** A customer waiting in the queue, as the presence frame lists them (1 = next). */
export interface QueueEntry {
  customer: string;
  position: number;
}

/** One open conversation of an agent, as the `inbox` frame lists it. */
export interface InboxConversation {
  conversationId: string;
  customer: string;
  avatar?: string;
  startedAt?: number;
  waitedMs?: number;
  /** The visitor id the customer page sent, when it sent one. */
  visitorId?: string;
  /** As on customer_entered: the customer's e-mail, and whether the site signed their identity. */
  email?: string;
  verified?: boolean;
  /** The customer is disconnected (within grace). */
  away: boolean;
}

/** Longest client message id accepted. */
export const MAX_CID_CHARS = 64;

/** Longest conversation id a client may name (the server's are UUIDs). */
export const MAX_CONVERSATION_ID_CHARS = 64;

/**
 * A chat message for the peer (the seed's only frame: no `type`, or `type: "message"`). An agent
 * with several conversations names the one it is for (`conversationId`).
 */
export interface ClientMessage {
  kind: 'message';
  content: string;
  cid?: string;
  conversationId?: string;
}

/** An image message: `image` is the id POST /api/images gave for an upload into this conversation. */
export interface ClientImage {
  kind: 'image';
  imageId: string;
  cid?: string;
  conversationId?: string;
}

/** The sender is typing (v2 clients; relayed to the peer, never stored). */
export interface ClientTyping {
  kind: 'typing';
  conversationId?: string;
}

/** An agent finishes one of their conversations: the customer is let go and the slot frees. */
export interface ClientResolve {
  kind: 'resolve';
  conversationId?: string;
}

/** An agent sets whether they take new customers (`away`: no, current ones continue). */
export interface ClientStatus {
  kind: 'status';
  status: 'online' | 'away';
}

/** A message for the agents' team channel, or a private note to one agent (`to`). */
export interface ClientTeamMessage {
  kind: 'team';
  content: string;
  cid?: string;
  to?: string;
}

/** An agent hands their customer to another agent (`to`), or back to the queue (`to` absent). */
export interface ClientTransfer {
  kind: 'transfer';
  to?: string;
  conversationId?: string;
}

/** Any frame a client may send, after validation. */
export type ClientFrame = ClientMessage | ClientImage | ClientTyping | ClientTeamMessage | ClientTransfer | ClientResolve | ClientStatus;

/** A client frame, or the error code (with the frame's cid and conversationId when it had them) to answer it with. */
export type ParsedClientFrame = { ok: true; value: ClientFrame } | { ok: false; error: FrameErrorCode; cid?: string; conversationId?: string };

/** Counts what a person sees as characters (code points), so one emoji is one character. */
function charCount(s: string, max: number): number {
  // Fast path: a UTF-16 length within the limit cannot hold more code points than that.
  if (s.length <= max) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A text with something besides whitespace and line breaks in it. */
const NOT_BLANK = /\S/;

/**
 * What trim() would leave empty (\s is the same set of characters), without making the copy.
 * Most texts start with a visible ASCII character, which settles it on every message's path
 * without the regular expression.
 */
function isBlank(s: string): boolean {
  const first = s.charCodeAt(0);
  if (first > 0x20 && first < 0x7f) return false;
  return !NOT_BLANK.test(s);
}

/** Errors about a frame carry its cid (and conversation), so the client knows which message was not accepted. */
function failure(error: FrameErrorCode, cid: string | undefined, conversationId?: string): ParsedClientFrame {
  const f: ParsedClientFrame = cid === undefined ? { ok: false, error } : { ok: false, error, cid };
  if (conversationId !== undefined) f.conversationId = conversationId;
  return f;
}

/** A conversation id as a client may name one: absent, or a string of 1 to 64 characters without U+0000. */
function conversationIdOf(raw: unknown): { ok: true; id?: string } | { ok: false } {
  if (raw === undefined || raw === null) return { ok: true };
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_CONVERSATION_ID_CHARS || hasNul(raw)) return { ok: false };
  return { ok: true, id: raw };
}

/** Sets `conversationId` on a frame when the client named one. */
function withConversation<T extends { conversationId?: string }>(frame: T, id: string | undefined): T {
  if (id !== undefined) frame.conversationId = id;
  return frame;
}

/**
 * Turns untrusted text from a socket into a typed message or an error code. A client-sent
 * shuiFaDe is ignored: the sender is stamped by the server from the authenticated session.
 */
export function parseClientFrame(text: string, maxChars: number): ParsedClientFrame {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: FrameError.BAD_FRAME };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: FrameError.BAD_FRAME };
  const {
    neiRong: content,
    cid,
    type,
    to,
    image,
    conversationId: rawConversation,
    status,
  } = data as { neiRong?: unknown; cid?: unknown; type?: unknown; to?: unknown; image?: unknown; conversationId?: unknown; status?: unknown };
  if (type === 'status') {
    return status === 'online' || status === 'away' ? { ok: true, value: { kind: 'status', status } } : { ok: false, error: FrameError.BAD_STATUS };
  }
  // A malformed id names no conversation the agent has; it is not echoed back.
  const named = conversationIdOf(rawConversation);
  if (!named.ok) return failure(FrameError.UNKNOWN_CONVERSATION, typeof cid === 'string' && cid.length <= MAX_CID_CHARS && !hasNul(cid) ? cid : undefined);
  const conversationId = named.id;
  if (type === 'typing') return { ok: true, value: withConversation<ClientTyping>({ kind: 'typing' }, conversationId) };
  if (type === 'resolve') return { ok: true, value: withConversation<ClientResolve>({ kind: 'resolve' }, conversationId) };
  if (type === 'transfer') {
    if (to === undefined || to === null) return { ok: true, value: withConversation<ClientTransfer>({ kind: 'transfer' }, conversationId) };
    const name = checkName(to);
    return name.ok
      ? { ok: true, value: withConversation<ClientTransfer>({ kind: 'transfer', to: name.name }, conversationId) }
      : failure(FrameError.BAD_TARGET, undefined, conversationId);
  }
  if (type !== undefined && type !== 'message' && type !== 'team' && type !== 'image') return { ok: false, error: FrameError.UNKNOWN_TYPE };
  if (cid !== undefined && (typeof cid !== 'string' || cid.length === 0 || cid.length > MAX_CID_CHARS || hasNul(cid))) {
    return failure(FrameError.BAD_CID, undefined, conversationId);
  }
  if (type === 'image') {
    // The text is the server's ([图片]); whatever neiRong the client sent is ignored.
    if (typeof image !== 'string' || !IMAGE_ID.test(image)) return failure(FrameError.BAD_IMAGE, cid, conversationId);
    const frame: ClientImage = { kind: 'image', imageId: image };
    if (cid !== undefined) frame.cid = cid;
    return { ok: true, value: withConversation(frame, conversationId) };
  }
  if (typeof content !== 'string') return failure(FrameError.BAD_FRAME, cid, conversationId);
  if (isBlank(content)) return failure(FrameError.EMPTY, cid, conversationId);
  if (charCount(content, maxChars) > maxChars) return failure(FrameError.TOO_LONG, cid, conversationId);
  if (hasNul(content)) return failure(FrameError.BAD_CHAR, cid, conversationId);
  if (type === 'team') {
    const note: ClientTeamMessage = { kind: 'team', content };
    if (cid !== undefined) note.cid = cid;
    if (to !== undefined && to !== null) {
      const name = checkName(to);
      if (!name.ok) return failure(FrameError.BAD_TARGET, cid);
      note.to = name.name;
    }
    return { ok: true, value: note };
  }
  const message: ClientMessage = { kind: 'message', content };
  if (cid !== undefined) message.cid = cid;
  if (conversationId !== undefined) message.conversationId = conversationId;
  return { ok: true, value: message };
}
