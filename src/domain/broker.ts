import { MemoryProfileDirectory } from '../cluster/memoryProfileDirectory.js';
import type { Profile, ProfileDirectory } from '../cluster/profileDirectory.js';
import type { Placement, RoomRegistry, RoomView, SeatView } from '../cluster/roomRegistry.js';
import type { AppendResult, ConversationPage, ConversationRecord, NewMessage, StoredMessage } from '../store/conversationStore.js';
import type { NewOfflineMessage, OfflineMessagePage } from '../store/offlineMessageStore.js';
import type { Stores } from '../store/stores.js';
import type { TeamMessage } from '../store/teamStore.js';
import type { OfflineMessage } from '../protocol/offlineMessage.js';
import type { Participant } from './participant.js';
import { EMPTY_FAQ, matchFaq, type Faq } from './faq.js';
import type { AgentState, BotEvent, Delivery, MessageEvent, PresenceEvent, RefusedError, RoomEvent, TeamEvent } from './roomEvent.js';
import { andThenOr, isPending, type Awaitable } from '../awaitable.js';
import type { ImageRef } from '../protocol/imageFormat.js';
import type { ImageBytes, ImageRecord, ImageStore } from '../store/imageStore.js';
import { DEFAULT_IMAGE_LIMITS, ImageIntake, type ImageLimits, type UploadRefusal } from './imageIntake.js';
import { hashResumeToken, mintSeat, newTicket } from './tickets.js';

/** Answer to a customer asking for an agent (the body of GET /getroom). */
export type RoomOffer =
  | { room: true; kefuName: string; ticket: string }
  | { room: false; ticket: string; position: number; agentsOnline: number }
  | { room: false; full: true; agentsOnline: number };

/** Why a connection was not admitted; transport maps each to a close code. */
export type Refusal = 'name_taken' | 'unknown_ticket' | 'expired_ticket' | 'wrong_name' | 'bad_resume' | 'queue_full';

export type Admission =
  | {
      ok: true;
      participant: Participant;
      deliveries: Delivery[];
      /** The highest seq these deliveries bring the newcomer to: live frames at or below it are duplicates. */
      caughtUpTo: number;
    }
  | { ok: false; refusal: Refusal };

/** What a person chose for how others see them (validated by the transport). */
export interface Appearance {
  avatar?: string;
}

/** The stores the broker writes to and reads from. */
export type BrokerStores = Pick<Stores, 'conversations' | 'team' | 'offlineMessages' | 'botExchanges'>;

/** The broker's optional collaborators; each has an in-process default or is simply absent. */
export interface BrokerParts {
  /** Avatars and join times of connected people (in-process by default). */
  profiles?: ProfileDirectory;
  /** Where uploaded images live; without one, image uploads and image messages are refused. */
  images?: ImageStore;
}

/** How a connection ended: on purpose (close 1000/1005) or dropped (anything else). */
export type Departure = 'deliberate' | 'dropped';

export interface BrokerOptions {
  /** How long an unused ticket is valid; a ticket for a free agent holds them this long at most. */
  ticketTtlMs: number;
  /** Unused reservations of free agents one client address may hold at once (then it gets queue tickets); 3 if unset. */
  reservationsPerAddress?: number;
  /** How long a dropped participant's place is held. */
  graceMs: number;
  queueMaxLength: number;
  queueMaxWaitMs: number;
  /** Most messages replayed on a resume; past it the client is told to reload. */
  replayLimit: number;
  /** The FAQ the bot answers waiting customers from, read on every question (it may be reloaded). */
  faq?: () => Faq;
  /** What an image upload is held to (DEFAULT_IMAGE_LIMITS when not given). */
  imageLimits?: ImageLimits;
  now?: () => number;
}

function messageEvent(m: StoredMessage, extra?: Partial<MessageEvent>): MessageEvent {
  // Every stored message goes through here: no spread of an empty `extra` on the live path.
  const e: MessageEvent = { kind: 'message', sender: m.sender, role: m.role, content: m.content, ts: m.ts, id: m.id, seq: m.seq };
  if (extra !== undefined) Object.assign(e, extra);
  if (m.cid !== null) e.cid = m.cid;
  if (m.image !== null) e.image = m.image;
  return e;
}

/** What an image message says to clients that show only text (seed clients, notifications). */
export const IMAGE_MESSAGE_TEXT = '[图片]';

export type { UploadRefusal } from './imageIntake.js';

function teamEvent(m: TeamMessage, extra: Partial<TeamEvent> = {}): TeamEvent {
  const e: TeamEvent = { kind: 'team', id: m.id, sender: m.sender, content: m.content, ts: m.ts, ...extra };
  if (m.to !== null) e.to = m.to;
  if (m.cid !== null) e.cid = m.cid;
  return e;
}

/** How many team messages an agent's console gets as history when it connects. */
export const TEAM_HISTORY = 50;

/** How many of a customer's latest questions to the bot the agent who takes them is shown. */
export const BOT_HISTORY = 20;

/** How many open offline messages (newest) an agent's console gets when it connects; the API has all. */
export const OFFLINE_BACKLOG = 50;

function refusal(to: string, error: RefusedError, cid?: string): Delivery[] {
  return [{ to: [to], event: cid === undefined ? { kind: 'refused', error } : { kind: 'refused', error, cid } }];
}

/**
 * The rules of the support chat: agents open rooms; customers get a free room or a place in a
 * first-come-first-served queue; messages are stored, acked to the sender and relayed to the
 * peer; a dropped participant's place is held for a grace period and missed messages are
 * replayed on return. Plain TypeScript: it returns deliveries and never touches a socket.
 */
export class Broker {
  private readonly now: () => number;
  private readonly profiles: ProfileDirectory;
  /** Where uploaded images live; without one, image uploads and image messages are refused. */
  private readonly images: ImageStore | undefined;
  private readonly intake: ImageIntake | undefined;
  private readonly faq: () => Faq;

  constructor(
    private readonly registry: RoomRegistry,
    private readonly stores: BrokerStores,
    private readonly options: BrokerOptions,
    parts: BrokerParts = {},
  ) {
    this.now = options.now ?? Date.now;
    this.profiles = parts.profiles ?? new MemoryProfileDirectory();
    this.images = parts.images;
    this.intake = parts.images && new ImageIntake(stores.conversations, parts.images, options.imageLimits ?? DEFAULT_IMAGE_LIMITS, this.now);
    this.faq = options.faq ?? (() => EMPTY_FAQ);
  }

  /** Re-creates rooms for conversations that were open when the server last stopped. */
  async restore(): Promise<number> {
    const open = await this.stores.conversations.openConversations();
    const until = this.now() + this.options.graceMs;
    for (const c of open) {
      await this.registry.restoreRoom(c.agent, { name: c.customer, conversationId: c.id, resumeHash: c.resumeHash }, until);
    }
    return open.length;
  }

  /**
   * Reserves a free agent for a customer, or gives a ticket to wait in the queue with, or says
   * the queue is full. `address` is the client's (per-address share of reservations).
   */
  async requestRoom(customer: string, address?: string): Promise<RoomOffer> {
    const ticket = newTicket();
    const holder = address === undefined ? undefined : { key: address, maxReservations: this.options.reservationsPerAddress ?? 3 };
    const result = await this.registry.requestRoom(customer, ticket, this.now(), this.options.ticketTtlMs, this.queueLimits(), holder);
    if (result.kind === 'reserved') return { room: true, kefuName: result.room.agent, ticket };
    // Not placed: whether anyone is online at all decides what the page offers (bot and a message form).
    const agentsOnline = await this.agentsOnline();
    if (result.kind === 'queued') return { room: false, ticket, position: result.position, agentsOnline };
    return { room: false, full: true, agentsOnline };
  }

  private queueLimits(): { maxLength: number; maxWaitMs: number } {
    return { maxLength: this.options.queueMaxLength, maxWaitMs: this.options.queueMaxWaitMs };
  }

  /** Agents connected now (free, serving or with a reserved customer), not those away. */
  private async agentsOnline(): Promise<number> {
    let n = 0;
    for (const r of await this.registry.listRooms()) if (r.agentSession !== undefined) n++;
    return n;
  }

  /** An agent comes online, or back within grace; `since` is the last seq their page has. */
  async admitAgent(session: string, name: string, since?: number, appearance: Appearance = {}): Promise<Admission> {
    const result = await this.registry.openRoom(name, session);
    if (result.kind === 'taken') return { ok: false, refusal: 'name_taken' };
    await this.profiles.set(session, this.profileOf(appearance));
    const participant: Participant = { session, role: 'kefu', name, room: name };
    if (result.kind === 'resumed' && result.room.customer) {
      const seat = result.room.customer;
      const { deliveries, caughtUpTo } = await this.replay(session, seat.conversationId, since, 'kefu');
      if (seat.session !== undefined) deliveries.push({ to: [seat.session], event: { kind: 'peer_back', peer: name, role: 'kefu' } });
      const record = await this.stores.conversations.getConversation(seat.conversationId);
      deliveries.unshift({ to: [session], event: this.customerEntered(seat.name, seat.session, seat.conversationId, record?.startedAt, await this.profilesOf(seat.session)) });
      deliveries.unshift(...(await this.teamHistory(session, name)), ...(await this.offlineBacklog(session)));
      return { ok: true, participant, deliveries, caughtUpTo };
    }
    const deliveries: Delivery[] = [{ to: [session], event: { kind: 'room_opened', agent: name } }];
    deliveries.push(...(await this.teamHistory(session, name)));
    deliveries.push(...(await this.offlineBacklog(session)));
    deliveries.push(...(await this.fillFreeRooms()));
    return { ok: true, participant, deliveries, caughtUpTo: 0 };
  }

  /** A customer arrives with the ticket /getroom gave them: seated, or waiting in the queue. */
  async admitCustomer(session: string, name: string, ticket: string, appearance: Appearance = {}): Promise<Admission> {
    const { token, keys } = mintSeat();
    // Before the claim: once seated, the agent's console asks for this profile.
    await this.profiles.set(session, this.profileOf(appearance));
    const claim = await this.registry.claimTicket(ticket, name, session, keys, this.now(), this.queueLimits());
    if (claim.kind === 'refused') {
      await this.profiles.delete(session);
      const refusal = ({ unknown: 'unknown_ticket', expired: 'expired_ticket', wrong_name: 'wrong_name', full: 'queue_full' } as const)[claim.reason];
      return { ok: false, refusal };
    }
    if (claim.kind === 'waiting') {
      return {
        ok: true,
        participant: { session, role: 'yonghu', name, conversationId: keys.conversationId },
        deliveries: [
          { to: [session], event: { kind: 'queue_position', position: claim.position, resume: token } },
          ...(await this.queuePositions(session)),
        ],
        caughtUpTo: 0,
      };
    }
    const deliveries = await this.seated(claim.room, name, session, keys.conversationId, token);
    return { ok: true, participant: { session, role: 'yonghu', name, room: claim.room.agent }, deliveries, caughtUpTo: 0 };
  }

  /** A customer comes back within grace with their resume token and the last seq they saw. */
  async resumeCustomer(session: string, name: string, token: string, since?: number, appearance: Appearance = {}): Promise<Admission> {
    const result = await this.registry.resumeCustomer(hashResumeToken(token), name, session);
    if (result.kind === 'refused') return { ok: false, refusal: 'bad_resume' };
    await this.profiles.set(session, this.profileOf(appearance));
    const { room, seat } = result;
    const { deliveries, caughtUpTo } = await this.replay(session, seat.conversationId, since, 'yonghu');
    deliveries.unshift({ to: [session], event: this.agentAssigned(room, seat.conversationId, await this.profilesOf(room.agentSession)) });
    if (result.replaced !== undefined) deliveries.push({ to: [result.replaced], event: { kind: 'replaced' } });
    if (room.agentSession !== undefined) deliveries.push({ to: [room.agentSession], event: { kind: 'peer_back', peer: name, role: 'yonghu' } });
    return { ok: true, participant: { session, role: 'yonghu', name, room: room.agent }, deliveries, caughtUpTo };
  }

  /**
   * A message: stored (so the echo is an ack that means "stored"), echoed to the sender and
   * relayed to the peer if the peer is connected. A resend of a stored cid is acked again and
   * not relayed twice.
   */
  postMessage(from: Participant, content: string, cid?: string): Awaitable<Delivery[]> {
    const room = from.room;
    if (room === undefined) return from.role === 'yonghu' ? this.askBot(from, content, cid) : refusal(from.session, 'not_in_room', cid);
    // Written as steps rather than awaits: with in-process backends every step answers at once
    // and the whole message is handled synchronously (see Awaitable), without a closure made
    // for a later step that is taken at once anyway.
    let view: Awaitable<RoomView | undefined>;
    try {
      view = this.registry.getRoom(room);
    } catch {
      return refusal(from.session, 'unavailable', cid);
    }
    if (isPending(view)) return this.later(view, (settled) => this.storeMessage(from, room, settled, false, content, cid), from, 'unavailable', cid);
    return this.storeMessage(from, room, view, true, content, cid);
  }

  /** A message step whose backend answered with a promise: `next` once it settles, or a refusal if it fails. */
  private later<T>(pending: PromiseLike<T>, next: (value: T) => Awaitable<Delivery[]>, from: Participant, error: RefusedError, cid?: string): Promise<Delivery[]> {
    return Promise.resolve(pending).then(next, () => refusal(from.session, error, cid));
  }

  /**
   * An image message: the image was uploaded into this conversation first (uploadImage), and
   * now goes out like a text message (stored, acked, relayed, replayed), with `[图片]` as its text.
   */
  async sendImage(from: Participant, imageId: string, cid?: string): Promise<Delivery[]> {
    const room = from.room;
    // A customer still waiting: the bot answers the placeholder text, as for any question.
    if (room === undefined) return this.postMessage(from, IMAGE_MESSAGE_TEXT, cid);
    const refuse = (error: RefusedError): Delivery[] => refusal(from.session, error, cid);
    let view;
    try {
      view = await this.registry.getRoom(room);
    } catch {
      return refuse('unavailable');
    }
    // An image belongs to the conversation it was uploaded into; an agent alone has none.
    const seat = this.seatOf(view, from);
    if (!seat) return refuse(from.role === 'yonghu' ? 'not_in_room' : 'bad_image');
    let record;
    try {
      record = await this.images?.get(imageId);
      // Unknown, or uploaded into another conversation: the same answer, so nothing leaks.
      if (!record || record.conversationId !== seat.conversationId) return refuse('bad_image');
      // Marked before the message is stored, so the clean-up of unsent images never removes one
      // a stored message refers to; false: it removed this one a moment ago.
      if (!(await this.images?.markSent(imageId))) return refuse('bad_image');
    } catch {
      return refuse('store_failed');
    }
    const image: ImageRef = { id: record.id, mime: record.mime, bytes: record.bytes };
    if (record.width !== undefined) image.width = record.width;
    if (record.height !== undefined) image.height = record.height;
    return this.storeMessage(from, room, view, false, IMAGE_MESSAGE_TEXT, cid, image);
  }

  /**
   * Stores an uploaded image in a conversation, if its bytes are a PNG, JPEG, GIF or WebP
   * (whatever the client called it) within the limits (ImageIntake): a whole file, or an
   * upload's body as it arrives. The conversation must be open.
   */
  async uploadImage(conversationId: string, role: 'kefu' | 'yonghu', data: Buffer | ImageBytes): Promise<ImageRecord | UploadRefusal> {
    if (!this.intake) return 'no_conversation';
    return this.intake.take(conversationId, role, Buffer.isBuffer(data) ? [data] : data);
  }

  /**
   * Stores a message for the conversation seated in `view` (the sender's room), then relays it.
   * `viewAtOnce`: the registry answered `view` synchronously, so it is this process's own state.
   */
  private storeMessage(
    from: Participant,
    room: string,
    view: RoomView | undefined,
    viewAtOnce: boolean,
    content: string,
    cid?: string,
    image?: ImageRef,
  ): Awaitable<Delivery[]> {
    const seat = this.seatOf(view, from);
    const ts = this.now();
    // A customer no longer in this room (transferred a moment ago, the frame raced the news):
    // refused with the cid, so the page resends it to the new room rather than losing it.
    if (!seat) {
      if (from.role === 'yonghu') return refusal(from.session, 'not_in_room', cid);
      // An agent alone in their room: echoed, as in the seed.
      const echo: MessageEvent = { kind: 'message', sender: from.name, role: from.role, content, ts };
      if (cid !== undefined) echo.cid = cid;
      return [{ to: [from.session], event: echo }];
    }
    const message: NewMessage = { conversationId: seat.conversationId, sender: from.name, role: from.role, content, ts };
    if (cid !== undefined) message.cid = cid;
    if (image !== undefined) message.image = image;
    // The same steps as in send: no closures when the store answers at once.
    let appended: Awaitable<AppendResult>;
    try {
      appended = this.stores.conversations.appendMessage(message);
    } catch {
      return refusal(from.session, 'store_failed', cid);
    }
    if (isPending(appended)) return this.later(appended, (settled) => this.stored(from, room, view, false, settled, cid), from, 'store_failed', cid);
    return this.stored(from, room, view, viewAtOnce, appended, cid);
  }

  /** The ack and relay of a message the store has taken (or already had: a resend). */
  private stored(from: Participant, room: string, view: RoomView | undefined, atOnce: boolean, appended: AppendResult, cid?: string): Awaitable<Delivery[]> {
    if (appended.duplicate) return [{ to: [from.session], event: messageEvent(appended.message, { duplicate: true }) }];
    // Read and stored without yielding: nothing can have changed the room in between (a
    // reattach runs on this thread too), so the view read before storing is the room now.
    if (atOnce) return this.relayTo(from, view, appended.message);
    return this.relay(from, room, appended.message, cid);
  }

  /**
   * Acks a stored message to its sender and relays it to the peer, looked up again after the
   * store: a peer who reattached meanwhile either gets this live or finds it in their replay
   * (the transport drops the copy at or below their catch-up seq). If the registry fails now the
   * message is stored but unacked: the resend (same cid) acks it.
   */
  private relay(from: Participant, room: string, message: StoredMessage, cid?: string): Awaitable<Delivery[]> {
    return andThenOr(
      () => this.registry.getRoom(room),
      (now) => this.relayTo(from, now, message),
      () => refusal(from.session, 'unavailable', cid),
    );
  }

  /** The ack to the sender and, if the peer is connected in `room`, the relay. */
  private relayTo(from: Participant, room: RoomView | undefined, message: StoredMessage): Delivery[] {
    const to = [from.session];
    const peer = room && this.peerSession(room, from);
    if (peer !== undefined) to.push(peer);
    return [{ to, event: messageEvent(message) }];
  }

  /**
   * A customer waiting in the queue wrote: the question is echoed (so the page shows it as
   * sent) and the FAQ bot answers. Neither is part of the conversation, which does not exist
   * before an agent: the exchange is kept apart, for the agent who takes the customer.
   */
  private async askBot(from: Participant, content: string, cid?: string): Promise<Delivery[]> {
    const ts = this.now();
    const echo: MessageEvent = { kind: 'message', sender: from.name, role: 'yonghu', content, ts };
    if (cid !== undefined) echo.cid = cid;
    const faq = this.faq();
    const entry = matchFaq(faq, content);
    let answer: BotEvent;
    if (entry) {
      answer = { kind: 'bot', content: entry.answer, matched: true, ts };
    } else {
      let waiting, agentsOnline;
      try {
        [waiting, agentsOnline] = await Promise.all([this.registry.waiting(), this.agentsOnline()]);
      } catch {
        return refusal(from.session, 'unavailable', cid);
      }
      answer = { kind: 'bot', content: faq.fallback, matched: false, ts, agentsOnline };
      const position = waiting.find((w) => w.session === from.session)?.position;
      if (position !== undefined) answer.position = position;
    }
    if (from.conversationId !== undefined) {
      // Kept for the agent who takes this customer; losing it loses only that courtesy, so a
      // failing store does not hold back the answer.
      await this.stores.botExchanges
        .appendBotExchange(from.conversationId, { question: content, answer: answer.content, matched: answer.matched, ts })
        .catch(() => undefined);
    }
    return [
      { to: [from.session], event: echo },
      { to: [from.session], event: answer },
    ];
  }

  /** The sender is typing: the peer is told (nothing stored, nothing acked). */
  async typing(from: Participant): Promise<Delivery[]> {
    if (from.room === undefined) return [];
    const room = await this.registry.getRoom(from.room);
    const peer = room && this.peerSession(room, from);
    return peer === undefined ? [] : [{ to: [peer], event: { kind: 'typing', peer: from.name, role: from.role } }];
  }

  /** Every agent with a room (free, serving or away) and how many customers wait. */
  async presence(): Promise<PresenceEvent> {
    const [rooms, waiting] = await Promise.all([this.registry.listRooms(), this.registry.waiting()]);
    const profiles = await this.profiles.getMany(rooms.flatMap((r) => (r.agentSession === undefined ? [] : [r.agentSession])));
    const agents = rooms.map((r): AgentState => {
      // A reservation not used yet is nobody: only a connected customer makes an agent busy.
      const state = r.agentSession === undefined ? 'away' : r.customer ? 'serving' : 'free';
      const avatar = r.agentSession === undefined ? undefined : profiles.get(r.agentSession)?.avatar;
      return avatar === undefined ? { name: r.agent, state } : { name: r.agent, state, avatar };
    });
    return { kind: 'presence', agents, waiting: waiting.length };
  }

  /**
   * A team message: stored, then delivered to every connected agent (and echoed to the sender
   * as the ack), or, with `to`, a private note for that one agent.
   */
  async teamMessage(from: Participant, content: string, cid?: string, to?: string): Promise<Delivery[]> {
    const refuse = (error: RefusedError): Delivery[] => refusal(from.session, error, cid);
    if (from.role !== 'kefu') return refuse('agents_only');
    let rooms;
    try {
      rooms = await this.registry.listRooms();
    } catch {
      return refuse('unavailable');
    }
    const recipients: string[] = [from.session];
    for (const r of rooms) {
      if (r.agentSession === undefined || r.agentSession === from.session) continue;
      if (to === undefined || r.agent === to) recipients.push(r.agentSession);
    }
    if (to !== undefined && to !== from.name && recipients.length === 1) return refuse('agent_unavailable');
    let appended;
    try {
      appended = await this.stores.team.appendTeamMessage({ sender: from.name, content, ts: this.now(), ...(to === undefined ? {} : { to }), ...(cid === undefined ? {} : { cid }) });
    } catch {
      return refuse('store_failed');
    }
    if (appended.duplicate) return [{ to: [from.session], event: teamEvent(appended.message, { duplicate: true }) }];
    return [{ to: recipients, event: teamEvent(appended.message) }];
  }

  /**
   * An agent hands their customer to another free agent. The conversation goes on (same id,
   * seq and resume token); the new agent gets it whole, the customer is told who serves them now.
   */
  async transfer(from: Participant, to: string | undefined): Promise<Delivery[]> {
    const refuse = (error: RefusedError): Delivery[] => refusal(from.session, error);
    if (from.role !== 'kefu' || from.room === undefined) return refuse('agents_only');
    if (to === undefined) return this.requeue(from);
    let result;
    try {
      result = await this.registry.transfer(from.room, from.session, to, this.now());
    } catch {
      return refuse('unavailable');
    }
    if (result.kind === 'refused') return refuse(result.reason === 'no_customer' ? 'no_customer' : result.reason === 'not_free' ? 'agent_unavailable' : 'not_in_room');
    const { seat } = result;
    await this.stores.conversations.reassignConversation(seat.conversationId, to);
    const out: Delivery[] = [{ to: [from.session], event: { kind: 'customer_transferred', customer: seat.name, to } }];
    const newAgent = result.to.agentSession;
    const known = await this.profilesOf(newAgent, seat.session);
    if (seat.session !== undefined) {
      out.push({ to: [seat.session], event: { ...this.agentAssigned(result.to, seat.conversationId, known), transferredFrom: from.name } });
    }
    if (newAgent !== undefined) out.push(...(await this.handOver(newAgent, seat, known, from.name)));
    return [...out, ...(await this.fillFreeRooms())];
  }

  /**
   * The agent hands their connected customer back to the head of the queue: the next free
   * agent (never this one) takes the same conversation; meanwhile the customer waits, told
   * their place, and may ask the FAQ bot. This agent is free for the next customer at once.
   */
  private async requeue(from: Participant): Promise<Delivery[]> {
    const refuse = (error: RefusedError): Delivery[] => refusal(from.session, error);
    let result;
    try {
      result = await this.registry.requeue(from.room as string, from.session, this.now() + this.options.queueMaxWaitMs);
    } catch {
      return refuse('unavailable');
    }
    if (result.kind === 'refused') return refuse(result.reason === 'not_owner' ? 'not_in_room' : result.reason);
    const { seat } = result;
    const out: Delivery[] = [{ to: [from.session], event: { kind: 'customer_requeued', customer: seat.name } }];
    if (seat.session !== undefined) {
      out.push({ to: [seat.session], event: { kind: 'requeued', agent: from.name, position: result.position, conversationId: seat.conversationId } });
    }
    return [...out, ...(await this.fillFreeRooms())];
  }

  /**
   * What the agent who takes over a conversation gets (a transfer, or a customer handed back to
   * the queue): who came in, the whole conversation so far (its newest part if very long) as
   * history, and whether the customer is away right now.
   */
  private async handOver(agentSession: string, seat: SeatView, known: Map<string, Profile>, transferredFrom?: string): Promise<Delivery[]> {
    const record = await this.stores.conversations.getConversation(seat.conversationId);
    const entered = this.customerEntered(seat.name, seat.session, seat.conversationId, record?.startedAt, known);
    const out: Delivery[] = [{ to: [agentSession], event: transferredFrom === undefined ? entered : { ...entered, transferredFrom } }];
    const after = Math.max(0, (record?.messageCount ?? 0) - this.options.replayLimit);
    for (const m of await this.stores.conversations.messagesAfter(seat.conversationId, after, this.options.replayLimit)) {
      out.push({ to: [agentSession], event: messageEvent(m, { replay: true }) });
    }
    if (seat.session === undefined) out.push({ to: [agentSession], event: { kind: 'peer_away', peer: seat.name, role: 'yonghu', graceMs: this.options.graceMs } });
    return out;
  }

  /** A connection ended. On purpose, the seed's leave; dropped, the place is held for grace. */
  async leave(who: Participant, how: Departure): Promise<Delivery[]> {
    // The session is over either way: a returning person connects with a new one.
    await this.profiles.delete(who.session);
    if (who.role === 'yonghu' && who.room === undefined) {
      const left = await this.registry.leaveQueue(who.session);
      if (!left) return [];
      // Handed back to the queue and gone before another agent came: that conversation is over.
      if (left.conversationId !== undefined) await this.stores.conversations.endConversation(left.conversationId, this.now(), 'customer_left');
      return this.queuePositions();
    }
    const room = who.room as string;
    if (how === 'dropped') {
      const view = await this.registry.markAway(room, who.role, who.session, this.now() + this.options.graceMs);
      if (!view) return [];
      const peer = who.role === 'kefu' ? view.customer?.session : view.agentSession;
      if (peer === undefined) return [];
      return [{ to: [peer], event: { kind: 'peer_away', peer: who.name, role: who.role, graceMs: this.options.graceMs } }];
    }
    if (who.role === 'yonghu') {
      const view = await this.registry.leaveRoom(room, who.session);
      if (!view?.customer) return [];
      await this.stores.conversations.endConversation(view.customer.conversationId, this.now(), 'customer_left');
      const out: Delivery[] = [];
      if (view.agentSession !== undefined) out.push({ to: [view.agentSession], event: { kind: 'customer_left', customer: who.name } });
      return [...out, ...(await this.fillFreeRooms())];
    }
    const view = await this.registry.closeRoom(who.name, who.session);
    if (!view?.customer) return [];
    await this.stores.conversations.endConversation(view.customer.conversationId, this.now(), 'agent_left');
    return this.dismiss(view.customer.session, who.name);
  }

  /** Ends what ran out of time; run on a timer by the transport. */
  async tick(): Promise<Delivery[]> {
    const now = this.now();
    const expired = await this.registry.expire(now);
    const out: Delivery[] = [];
    for (const { room, seat } of expired.customers) {
      await this.stores.conversations.endConversation(seat.conversationId, now, 'customer_timeout');
      if (room.agentSession !== undefined) out.push({ to: [room.agentSession], event: { kind: 'customer_left', customer: seat.name, timeout: true } });
    }
    for (const room of expired.agents) {
      if (!room.customer) continue;
      await this.stores.conversations.endConversation(room.customer.conversationId, now, 'agent_timeout');
      out.push(...this.dismiss(room.customer.session, room.agent));
    }
    for (const w of expired.waiting) {
      if (w.conversationId !== undefined) await this.stores.conversations.endConversation(w.conversationId, now, 'customer_timeout');
      out.push({ to: [w.session], event: { kind: 'queue_timeout' } }, { to: [w.session], event: { kind: 'dismissed', reason: 'queue_timeout' } });
    }
    out.push(...(await this.fillFreeRooms()));
    if (expired.waiting.length > 0 && !out.some((d) => d.event.kind === 'queue_position')) out.push(...(await this.queuePositions()));
    return out;
  }

  /**
   * A node died (its heartbeat lapsed): everyone connected through it dropped at once, so each
   * gets the drop treatment (grace, then leave) from the node that claimed the cleanup.
   */
  async nodeDied(node: string): Promise<Delivery[]> {
    const out: Delivery[] = [];
    for (const s of await this.registry.sessionsOfNode(node)) {
      const who: Participant = { session: s.session, role: s.role, name: s.name };
      if (s.room !== undefined) who.room = s.room;
      out.push(...(await this.leave(who, 'dropped')));
    }
    return out;
  }

  /**
   * A customer left a message while no agent could take them: stored, and shown at once to any
   * agent who is online after all (the page offered the form a moment before one came).
   */
  async leaveOfflineMessage(m: Omit<NewOfflineMessage, 'createdAt'>): Promise<{ message: OfflineMessage; deliveries: Delivery[] }> {
    const message = await this.stores.offlineMessages.addOfflineMessage({ ...m, createdAt: this.now() });
    const agents: string[] = [];
    for (const r of await this.registry.listRooms()) if (r.agentSession !== undefined) agents.push(r.agentSession);
    const deliveries: Delivery[] = agents.length === 0 ? [] : [{ to: agents, event: { kind: 'offline_messages', messages: [message], live: true } }];
    return { message, deliveries };
  }

  /** Open offline messages for an agent who comes online: whoever is first follows them up. */
  private async offlineBacklog(session: string): Promise<Delivery[]> {
    const { messages } = await this.stores.offlineMessages.listOfflineMessages(OFFLINE_BACKLOG, { openOnly: true });
    return messages.length === 0 ? [] : [{ to: [session], event: { kind: 'offline_messages', messages } }];
  }

  /** The team messages this agent may read, as history for their console. */
  private async teamHistory(session: string, agent: string): Promise<Delivery[]> {
    const messages = await this.stores.team.teamMessagesFor(agent, TEAM_HISTORY);
    return messages.map((m) => ({ to: [session], event: teamEvent(m, { replay: true }) }));
  }

  private dismiss(customerSession: string | undefined, agent: string): Delivery[] {
    if (customerSession === undefined) return [];
    return [
      { to: [customerSession], event: { kind: 'agent_left', agent } },
      { to: [customerSession], event: { kind: 'dismissed', reason: 'agent_left' } },
    ];
  }

  /**
   * Starts the conversation of a newly seated customer and announces it to both sides; one who
   * waited in the queue (`fromQueue`) also brings what they asked the bot meanwhile.
   */
  private async seated(room: RoomView, customer: string, session: string, conversationId: string, token?: string, fromQueue = false): Promise<Delivery[]> {
    const seat = room.customer;
    const startedAt = this.now();
    await this.stores.conversations.startConversation({
      id: conversationId,
      agent: room.agent,
      customer,
      startedAt,
      resumeHash: seat?.resumeHash ?? '',
    });
    const known = await this.profilesOf(room.agentSession, session);
    const assigned = this.agentAssigned(room, conversationId, known);
    const out: Delivery[] = [{ to: [session], event: token === undefined ? assigned : { ...assigned, resume: token } }];
    if (room.agentSession !== undefined) {
      out.push({ to: [room.agentSession], event: this.customerEntered(customer, session, conversationId, startedAt, known) });
      const exchanges = fromQueue ? await this.stores.botExchanges.botExchanges(conversationId, BOT_HISTORY).catch(() => []) : [];
      if (exchanges.length > 0) out.push({ to: [room.agentSession], event: { kind: 'bot_history', customer, exchanges } });
    }
    return out;
  }

  /** A customer handed back to the queue is placed again: same conversation, a new agent. */
  private async reseated(room: RoomView, seat: SeatView): Promise<Delivery[]> {
    await this.stores.conversations.reassignConversation(seat.conversationId, room.agent);
    const out: Delivery[] = [];
    const known = await this.profilesOf(room.agentSession, seat.session);
    if (seat.session !== undefined) out.push({ to: [seat.session], event: this.agentAssigned(room, seat.conversationId, known) });
    if (room.agentSession !== undefined) out.push(...(await this.handOver(room.agentSession, seat, known)));
    return out;
  }

  private profileOf(appearance: Appearance): Profile {
    return appearance.avatar === undefined ? { joinedAt: this.now() } : { avatar: appearance.avatar, joinedAt: this.now() };
  }

  /** Profiles of the sessions that are set, in one round trip to the directory. */
  private profilesOf(...sessions: Array<string | undefined>): Promise<Map<string, Profile>> {
    return this.profiles.getMany(sessions.filter((s): s is string => s !== undefined));
  }

  /** The customer is told who serves them, with the agent's avatar when they picked one. */
  private agentAssigned(room: RoomView, conversationId: string, known: Map<string, Profile>): Extract<RoomEvent, { kind: 'agent_assigned' }> {
    const event: Extract<RoomEvent, { kind: 'agent_assigned' }> = { kind: 'agent_assigned', agent: room.agent, conversationId };
    const avatar = room.agentSession === undefined ? undefined : known.get(room.agentSession)?.avatar;
    if (avatar !== undefined) event.avatar = avatar;
    return event;
  }

  /**
   * The agent is told who came in, with what the console shows about them: avatar, when the
   * conversation started and how long they waited for an agent (from connecting to being seated).
   */
  private customerEntered(
    customer: string,
    customerSession: string | undefined,
    conversationId: string,
    startedAt: number | undefined,
    known: Map<string, Profile>,
  ): Extract<RoomEvent, { kind: 'customer_entered' }> {
    const event: Extract<RoomEvent, { kind: 'customer_entered' }> = { kind: 'customer_entered', customer, conversationId };
    if (startedAt !== undefined) event.startedAt = startedAt;
    if (customerSession === undefined) return event;
    const profile = known.get(customerSession);
    if (profile?.avatar !== undefined) event.avatar = profile.avatar;
    if (profile !== undefined && startedAt !== undefined) event.waitedMs = Math.max(0, startedAt - profile.joinedAt);
    return event;
  }

  /** Places queue heads with agents who are free, then tells everyone still waiting where they stand. */
  private async fillFreeRooms(): Promise<Delivery[]> {
    const placements: Placement[] = await this.registry.fillFreeRooms(this.now());
    if (placements.length === 0) return [];
    const out: Delivery[] = [];
    for (const p of placements) {
      if (p.seat.session === undefined) continue;
      if (p.continued) out.push(...(await this.reseated(p.room, p.seat)));
      else out.push(...(await this.seated(p.room, p.seat.name, p.seat.session, p.seat.conversationId, undefined, true)));
    }
    return [...out, ...(await this.queuePositions())];
  }

  private async queuePositions(except?: string): Promise<Delivery[]> {
    const waiting = await this.registry.waiting();
    return waiting.filter((w) => w.session !== except).map((w) => ({ to: [w.session], event: { kind: 'queue_position', position: w.position } }));
  }

  /** Missed messages after `since` for a returning participant, or an explicit "not recovered". */
  private async replay(session: string, conversationId: string, since = 0, role?: 'kefu' | 'yonghu'): Promise<{ deliveries: Delivery[]; caughtUpTo: number }> {
    const missed = await this.stores.conversations.messagesAfter(conversationId, since, this.options.replayLimit + 1);
    const last = missed[missed.length - 1]?.seq ?? since;
    const lastSeq = missed.length > 0 ? last : (await this.stores.conversations.getConversation(conversationId))?.messageCount ?? since;
    // A client ahead of the store, or too far behind to replay, is told to reload instead of given a gap.
    const recovered = since <= lastSeq && missed.length <= this.options.replayLimit;
    // What the other side wrote while this one was away: the agent console's unread count.
    let unread = 0;
    for (const m of missed) if (m.role !== role) unread++;
    const deliveries: Delivery[] = [{ to: [session], event: { kind: 'resumed', conversationId, recovered, lastSeq, unread } }];
    if (!recovered) return { deliveries, caughtUpTo: lastSeq };
    for (const m of missed) deliveries.push({ to: [session], event: messageEvent(m, { replay: true }) });
    return { deliveries, caughtUpTo: lastSeq };
  }

  private isInRoom(room: RoomView, who: Participant): boolean {
    return who.role === 'kefu' ? room.agentSession === who.session : room.customer?.session === who.session;
  }

  /** The customer's seat in `view`, if `from` (either side) is in that room now. */
  private seatOf(view: RoomView | undefined, from: Participant): SeatView | undefined {
    return view && this.isInRoom(view, from) ? view.customer : undefined;
  }

  private peerSession(room: RoomView, from: Participant): string | undefined {
    if (!this.isInRoom(room, from)) return undefined;
    return from.role === 'kefu' ? room.customer?.session : room.agentSession;
  }
}
