import type { Placement, RoomRegistry, RoomView } from '../cluster/roomRegistry.js';
import type { ConversationPage, ConversationRecord, MessageStore, StoredMessage, TeamMessage } from '../store/messageStore.js';
import type { Participant } from './participant.js';
import type { AgentState, Delivery, MessageEvent, PresenceEvent, RefusedError, TeamEvent } from './roomEvent.js';
import { hashResumeToken, mintSeat, newTicket } from './tickets.js';

/** Answer to a customer asking for an agent (the body of GET /getroom). */
export type RoomOffer =
  | { room: true; kefuName: string; ticket: string }
  | { room: false; ticket: string; position: number }
  | { room: false; full: true };

/** Why a connection was not admitted; transport maps each to a close code. */
export type Refusal = 'name_taken' | 'unknown_ticket' | 'expired_ticket' | 'wrong_name' | 'bad_resume';

export type Admission =
  | {
      ok: true;
      participant: Participant;
      deliveries: Delivery[];
      /** The highest seq these deliveries bring the newcomer to: live frames at or below it are duplicates. */
      caughtUpTo: number;
    }
  | { ok: false; refusal: Refusal };

/** How a connection ended: on purpose (close 1000/1005) or dropped (anything else). */
export type Departure = 'deliberate' | 'dropped';

export interface BrokerOptions {
  ticketTtlMs: number;
  /** How long a dropped participant's place is held. */
  graceMs: number;
  queueMaxLength: number;
  queueMaxWaitMs: number;
  /** Most messages replayed on a resume; past it the client is told to reload. */
  replayLimit: number;
  now?: () => number;
}

function messageEvent(m: StoredMessage, extra?: Partial<MessageEvent>): MessageEvent {
  // Every stored message goes through here: no spread of an empty `extra` on the live path.
  const e: MessageEvent = { kind: 'message', sender: m.sender, role: m.role, content: m.content, ts: m.ts, id: m.id, seq: m.seq };
  if (extra !== undefined) Object.assign(e, extra);
  if (m.cid !== null) e.cid = m.cid;
  return e;
}

function teamEvent(m: TeamMessage, extra: Partial<TeamEvent> = {}): TeamEvent {
  const e: TeamEvent = { kind: 'team', id: m.id, sender: m.sender, content: m.content, ts: m.ts, ...extra };
  if (m.to !== null) e.to = m.to;
  if (m.cid !== null) e.cid = m.cid;
  return e;
}

/** How many team messages an agent's console gets as history when it connects. */
export const TEAM_HISTORY = 50;

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

  constructor(
    private readonly registry: RoomRegistry,
    private readonly store: MessageStore,
    private readonly options: BrokerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Re-creates rooms for conversations that were open when the server last stopped. */
  async restore(): Promise<number> {
    const open = await this.store.openConversations();
    const until = this.now() + this.options.graceMs;
    for (const c of open) {
      await this.registry.restoreRoom(c.agent, { name: c.customer, conversationId: c.id, resumeHash: c.resumeHash }, until);
    }
    return open.length;
  }

  /** Reserves a free agent for a customer, or a place in the queue, or says the queue is full. */
  async requestRoom(customer: string): Promise<RoomOffer> {
    const ticket = newTicket();
    const result = await this.registry.requestRoom(customer, ticket, this.now(), this.options.ticketTtlMs, {
      maxLength: this.options.queueMaxLength,
      maxWaitMs: this.options.queueMaxWaitMs,
    });
    if (result.kind === 'reserved') return { room: true, kefuName: result.room.agent, ticket };
    if (result.kind === 'queued') return { room: false, ticket, position: result.position };
    return { room: false, full: true };
  }

  /** An agent comes online, or back within grace; `since` is the last seq their page has. */
  async admitAgent(session: string, name: string, since?: number): Promise<Admission> {
    const result = await this.registry.openRoom(name, session);
    if (result.kind === 'taken') return { ok: false, refusal: 'name_taken' };
    const participant: Participant = { session, role: 'kefu', name, room: name };
    if (result.kind === 'resumed' && result.room.customer) {
      const seat = result.room.customer;
      const { deliveries, caughtUpTo } = await this.replay(session, seat.conversationId, since, 'kefu');
      if (seat.session !== undefined) deliveries.push({ to: [seat.session], event: { kind: 'peer_back', peer: name, role: 'kefu' } });
      deliveries.unshift({ to: [session], event: { kind: 'customer_entered', customer: seat.name, conversationId: seat.conversationId } });
      deliveries.unshift(...(await this.teamHistory(session, name)));
      return { ok: true, participant, deliveries, caughtUpTo };
    }
    const deliveries: Delivery[] = [{ to: [session], event: { kind: 'room_opened', agent: name } }];
    deliveries.push(...(await this.teamHistory(session, name)));
    deliveries.push(...(await this.fillFreeRooms()));
    return { ok: true, participant, deliveries, caughtUpTo: 0 };
  }

  /** A customer arrives with the ticket /getroom gave them: seated, or waiting in the queue. */
  async admitCustomer(session: string, name: string, ticket: string): Promise<Admission> {
    const { token, keys } = mintSeat();
    const claim = await this.registry.claimTicket(ticket, name, session, keys, this.now());
    if (claim.kind === 'refused') {
      const refusal = ({ unknown: 'unknown_ticket', expired: 'expired_ticket', wrong_name: 'wrong_name' } as const)[claim.reason];
      return { ok: false, refusal };
    }
    if (claim.kind === 'waiting') {
      return {
        ok: true,
        participant: { session, role: 'yonghu', name },
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
  async resumeCustomer(session: string, name: string, token: string, since?: number): Promise<Admission> {
    const result = await this.registry.resumeCustomer(hashResumeToken(token), name, session);
    if (result.kind === 'refused') return { ok: false, refusal: 'bad_resume' };
    const { room, seat } = result;
    const { deliveries, caughtUpTo } = await this.replay(session, seat.conversationId, since, 'yonghu');
    deliveries.unshift({ to: [session], event: { kind: 'agent_assigned', agent: room.agent, conversationId: seat.conversationId } });
    if (result.replaced !== undefined) deliveries.push({ to: [result.replaced], event: { kind: 'replaced' } });
    if (room.agentSession !== undefined) deliveries.push({ to: [room.agentSession], event: { kind: 'peer_back', peer: name, role: 'yonghu' } });
    return { ok: true, participant: { session, role: 'yonghu', name, room: room.agent }, deliveries, caughtUpTo };
  }

  /**
   * A message: stored (so the echo is an ack that means "stored"), echoed to the sender and
   * relayed to the peer if the peer is connected. A resend of a stored cid is acked again and
   * not relayed twice.
   */
  async send(from: Participant, content: string, cid?: string): Promise<Delivery[]> {
    const refuse = (error: RefusedError): Delivery[] => refusal(from.session, error, cid);
    if (from.room === undefined) return refuse('not_in_room');
    let room;
    try {
      room = await this.registry.getRoom(from.room);
    } catch {
      return refuse('unavailable');
    }
    const seat = room && this.isInRoom(room, from) ? room.customer : undefined;
    const ts = this.now();
    // A customer no longer in this room (transferred a moment ago, the frame raced the news):
    // refused with the cid, so the page resends it to the new room rather than losing it.
    if (!seat && from.role === 'yonghu') return refuse('not_in_room');
    if (!room || !seat) {
      // An agent alone in their room: echoed, as in the seed.
      const echo: MessageEvent = { kind: 'message', sender: from.name, role: from.role, content, ts };
      if (cid !== undefined) echo.cid = cid;
      return [{ to: [from.session], event: echo }];
    }
    let appended;
    try {
      appended = await this.store.appendMessage({ conversationId: seat.conversationId, sender: from.name, role: from.role, content, ts, cid });
    } catch {
      return refuse('store_failed');
    }
    if (appended.duplicate) return [{ to: [from.session], event: messageEvent(appended.message, { duplicate: true }) }];
    // Look the peer up again after storing: a peer who reattached meanwhile either gets this live
    // or finds it in their replay (the transport drops the copy at or below their catch-up seq).
    // If the registry fails now the message is stored but unacked: the resend (same cid) acks it.
    let now;
    try {
      now = await this.registry.getRoom(from.room);
    } catch {
      return refuse('unavailable');
    }
    const to = [from.session];
    const peer = now && this.peerSession(now, from);
    if (peer !== undefined) to.push(peer);
    return [{ to, event: messageEvent(appended.message) }];
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
    const agents = rooms.map((r): AgentState => {
      const state = r.agentSession === undefined ? 'away' : r.customer || r.reservedFor !== undefined ? 'serving' : 'free';
      return { name: r.agent, state };
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
      appended = await this.store.appendTeamMessage({ sender: from.name, content, ts: this.now(), ...(to === undefined ? {} : { to }), ...(cid === undefined ? {} : { cid }) });
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
    // Back to the queue is not offered: a customer is handed to a named, free agent.
    if (to === undefined) return refuse('bad_target');
    let result;
    try {
      result = await this.registry.transfer(from.room, from.session, to, this.now());
    } catch {
      return refuse('unavailable');
    }
    if (result.kind === 'refused') return refuse(result.reason === 'no_customer' ? 'no_customer' : result.reason === 'not_free' ? 'agent_unavailable' : 'not_in_room');
    const { seat } = result;
    await this.store.reassignConversation(seat.conversationId, to);
    const out: Delivery[] = [{ to: [from.session], event: { kind: 'customer_transferred', customer: seat.name, to } }];
    if (seat.session !== undefined) {
      out.push({ to: [seat.session], event: { kind: 'agent_assigned', agent: to, conversationId: seat.conversationId, transferredFrom: from.name } });
    }
    const newAgent = result.to.agentSession;
    if (newAgent !== undefined) {
      out.push({ to: [newAgent], event: { kind: 'customer_entered', customer: seat.name, conversationId: seat.conversationId, transferredFrom: from.name } });
      // The whole conversation so far (its newest part if it is very long), as history.
      const record = await this.store.getConversation(seat.conversationId);
      const after = Math.max(0, (record?.messageCount ?? 0) - this.options.replayLimit);
      for (const m of await this.store.messagesAfter(seat.conversationId, after, this.options.replayLimit)) {
        out.push({ to: [newAgent], event: messageEvent(m, { replay: true }) });
      }
      if (seat.session === undefined) out.push({ to: [newAgent], event: { kind: 'peer_away', peer: seat.name, role: 'yonghu', graceMs: this.options.graceMs } });
    }
    return [...out, ...(await this.fillFreeRooms())];
  }

  /** A connection ended. On purpose, the seed's leave; dropped, the place is held for grace. */
  async leave(who: Participant, how: Departure): Promise<Delivery[]> {
    if (who.role === 'yonghu' && who.room === undefined) {
      return (await this.registry.leaveQueue(who.session)) ? this.queuePositions() : [];
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
      await this.store.endConversation(view.customer.conversationId, this.now(), 'customer_left');
      const out: Delivery[] = [];
      if (view.agentSession !== undefined) out.push({ to: [view.agentSession], event: { kind: 'customer_left', customer: who.name } });
      return [...out, ...(await this.fillFreeRooms())];
    }
    const view = await this.registry.closeRoom(who.name, who.session);
    if (!view?.customer) return [];
    await this.store.endConversation(view.customer.conversationId, this.now(), 'agent_left');
    return this.dismiss(view.customer.session, who.name);
  }

  /** Ends what ran out of time; run on a timer by the transport. */
  async tick(): Promise<Delivery[]> {
    const now = this.now();
    const expired = await this.registry.expire(now);
    const out: Delivery[] = [];
    for (const { room, seat } of expired.customers) {
      await this.store.endConversation(seat.conversationId, now, 'customer_timeout');
      if (room.agentSession !== undefined) out.push({ to: [room.agentSession], event: { kind: 'customer_left', customer: seat.name, timeout: true } });
    }
    for (const room of expired.agents) {
      if (!room.customer) continue;
      await this.store.endConversation(room.customer.conversationId, now, 'agent_timeout');
      out.push(...this.dismiss(room.customer.session, room.agent));
    }
    for (const w of expired.waiting) {
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

  /** Messages of a conversation after a seq, for the transcripts API. */
  async history(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    return this.store.messagesAfter(conversationId, afterSeq, limit);
  }

  /** A page of conversations, newest first. */
  async conversations(limit: number, before?: string): Promise<ConversationPage> {
    return this.store.listConversations(limit, before);
  }

  async conversation(id: string): Promise<ConversationRecord | undefined> {
    return this.store.getConversation(id);
  }

  /** The customer's own open conversation, found by their resume token (never by id). */
  async conversationOfToken(token: string): Promise<string | undefined> {
    const c = await this.store.openConversationByResumeHash(hashResumeToken(token));
    return c?.id;
  }

  /** The team messages this agent may read, as history for their console. */
  private async teamHistory(session: string, agent: string): Promise<Delivery[]> {
    const messages = await this.store.teamMessagesFor(agent, TEAM_HISTORY);
    return messages.map((m) => ({ to: [session], event: teamEvent(m, { replay: true }) }));
  }

  private dismiss(customerSession: string | undefined, agent: string): Delivery[] {
    if (customerSession === undefined) return [];
    return [
      { to: [customerSession], event: { kind: 'agent_left', agent } },
      { to: [customerSession], event: { kind: 'dismissed', reason: 'agent_left' } },
    ];
  }

  /** Starts the conversation of a newly seated customer and announces it to both sides. */
  private async seated(room: RoomView, customer: string, session: string, conversationId: string, token?: string): Promise<Delivery[]> {
    const seat = room.customer;
    await this.store.startConversation({
      id: conversationId,
      agent: room.agent,
      customer,
      startedAt: this.now(),
      resumeHash: seat?.resumeHash ?? '',
    });
    const assigned = { kind: 'agent_assigned' as const, agent: room.agent, conversationId, ...(token === undefined ? {} : { resume: token }) };
    const out: Delivery[] = [{ to: [session], event: assigned }];
    if (room.agentSession !== undefined) out.push({ to: [room.agentSession], event: { kind: 'customer_entered', customer, conversationId } });
    return out;
  }

  /** Places queue heads with agents who are free, then tells everyone still waiting where they stand. */
  private async fillFreeRooms(): Promise<Delivery[]> {
    const placements: Placement[] = await this.registry.fillFreeRooms(this.now(), this.options.ticketTtlMs);
    if (placements.length === 0) return [];
    const out: Delivery[] = [];
    for (const p of placements) {
      if (p.seat?.session !== undefined) out.push(...(await this.seated(p.room, p.seat.name, p.seat.session, p.seat.conversationId)));
    }
    return [...out, ...(await this.queuePositions())];
  }

  private async queuePositions(except?: string): Promise<Delivery[]> {
    const waiting = await this.registry.waiting();
    return waiting.filter((w) => w.session !== except).map((w) => ({ to: [w.session], event: { kind: 'queue_position', position: w.position } }));
  }

  /** Missed messages after `since` for a returning participant, or an explicit "not recovered". */
  private async replay(session: string, conversationId: string, since = 0, role?: 'kefu' | 'yonghu'): Promise<{ deliveries: Delivery[]; caughtUpTo: number }> {
    const missed = await this.store.messagesAfter(conversationId, since, this.options.replayLimit + 1);
    const last = missed[missed.length - 1]?.seq ?? since;
    const lastSeq = missed.length > 0 ? last : (await this.store.getConversation(conversationId))?.messageCount ?? since;
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

  private peerSession(room: RoomView, from: Participant): string | undefined {
    if (!this.isInRoom(room, from)) return undefined;
    return from.role === 'kefu' ? room.customer?.session : room.agentSession;
  }
}
