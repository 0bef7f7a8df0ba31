import type { Profile } from '../cluster/profileDirectory.js';
import type { AgentStatus, RoomRegistry, RoomView, SeatView } from '../cluster/roomRegistry.js';
import type { ConversationStore } from '../store/conversationStore.js';
import type { Bot } from './bot.js';
import type { BrokerOptions } from './brokerOptions.js';
import type { Participant } from './participant.js';
import { messageEvent, refusal, type Delivery, type RefusedError } from './roomEvent.js';
import { agentAssigned, customerEntered, visitorIdOf, type Roster } from './roster.js';
import { pickSeat, seatById } from './seats.js';
import { newTicket } from './tickets.js';

/** Answer to a customer asking for an agent (the body of GET /getroom). */
export type RoomOffer =
  | { room: true; kefuName: string; ticket: string }
  | { room: false; ticket: string; position: number; agentsOnline: number }
  | { room: false; full: true; agentsOnline: number };

/** The numbers placement goes by. */
export type PlacementOptions = Pick<BrokerOptions, 'ticketTtlMs' | 'reservationsPerAddress' | 'graceMs' | 'queueMaxLength' | 'queueMaxWaitMs' | 'replayLimit'>;

/**
 * Who is placed with which agent: a customer asking for an agent gets a free one reserved or a
 * place in a first-come-first-served queue; queue heads are seated as agents come free; an
 * agent hands their customer to another agent (transfer) or back to the head of the queue
 * (requeue), and whoever takes over gets the conversation so far.
 */
export class Placement {
  constructor(
    private readonly registry: RoomRegistry,
    private readonly conversations: ConversationStore,
    private readonly roster: Roster,
    private readonly bot: Bot,
    private readonly options: PlacementOptions,
    private readonly now: () => number,
  ) {}

  /** Re-creates rooms for conversations that were open when the server last stopped. */
  async restore(): Promise<number> {
    const open = await this.conversations.openConversations();
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
    const agentsOnline = await this.roster.agentsOnline();
    if (result.kind === 'queued') return { room: false, ticket, position: result.position, agentsOnline };
    return { room: false, full: true, agentsOnline };
  }

  /** How long the queue may grow and how long a place in it is held. */
  queueLimits(): { maxLength: number; maxWaitMs: number } {
    return { maxLength: this.options.queueMaxLength, maxWaitMs: this.options.queueMaxWaitMs };
  }

  /**
   * Starts the conversation of a newly seated customer and announces it to both sides; one who
   * waited in the queue (`fromQueue`) also brings what they asked the bot meanwhile.
   */
  async seated(room: RoomView, customer: string, session: string, conversationId: string, token?: string, fromQueue = false): Promise<Delivery[]> {
    const seat = seatById(room, conversationId);
    const startedAt = this.now();
    const known = await this.roster.profilesOf(room.agentSession, session);
    const visitorId = visitorIdOf(known.get(session));
    await this.conversations.startConversation({
      id: conversationId,
      agent: room.agent,
      customer,
      startedAt,
      resumeHash: seat?.resumeHash ?? '',
      ...(visitorId === undefined ? {} : { visitorId }),
    });
    const assigned = agentAssigned(room, conversationId, known);
    const out: Delivery[] = [{ to: [session], event: token === undefined ? assigned : { ...assigned, resume: token } }];
    if (room.agentSession !== undefined) {
      out.push({ to: [room.agentSession], event: customerEntered(customer, session, conversationId, startedAt, known) });
      const exchanges = fromQueue ? await this.bot.history(conversationId) : [];
      if (exchanges.length > 0) out.push({ to: [room.agentSession], event: { kind: 'bot_history', customer, conversationId, exchanges } });
    }
    return out;
  }

  /** Places queue heads with agents who are free, then tells everyone still waiting where they stand. */
  async fillFreeRooms(): Promise<Delivery[]> {
    const placements = await this.registry.fillFreeRooms(this.now());
    if (placements.length === 0) return [];
    const out: Delivery[] = [];
    for (const p of placements) {
      if (p.seat.session === undefined) continue;
      if (p.continued) out.push(...(await this.reseated(p.room, p.seat)));
      else out.push(...(await this.seated(p.room, p.seat.name, p.seat.session, p.seat.conversationId, undefined, true)));
    }
    return [...out, ...(await this.queuePositions())];
  }

  /** Tells every customer waiting (but `except`) their place in the queue. */
  async queuePositions(except?: string): Promise<Delivery[]> {
    const waiting = await this.registry.waiting();
    return waiting.filter((w) => w.session !== except).map((w) => ({ to: [w.session], event: { kind: 'queue_position', position: w.position } }));
  }

  /**
   * Which of the agent's conversations a frame is for: the one it names, or the agent's only
   * one; else the error to answer (`no_customer` when the agent has none).
   */
  async conversationOf(from: Participant, conversationId: string | undefined): Promise<{ id: string } | { error: RefusedError }> {
    if (conversationId !== undefined) return { id: conversationId };
    let view;
    try {
      view = await this.registry.getRoom(from.room as string);
    } catch {
      return { error: 'unavailable' };
    }
    const pick = pickSeat(view, from);
    if (pick.kind === 'seat') return { id: pick.seat.conversationId };
    return { error: pick.kind === 'alone' ? 'no_customer' : pick.error };
  }

  /**
   * An agent hands a customer to another free agent. The conversation goes on (same id, seq and
   * resume token); the new agent gets it whole, the customer is told who serves them now.
   * Without `to`, the customer goes back to the queue (requeue).
   */
  async transfer(from: Participant, to: string | undefined, conversationId?: string): Promise<Delivery[]> {
    const refuse = (error: RefusedError): Delivery[] => refusal(from.session, error, undefined, conversationId);
    if (from.role !== 'kefu' || from.room === undefined) return refuse('agents_only');
    const which = await this.conversationOf(from, conversationId);
    if ('error' in which) return refuse(which.error);
    if (to === undefined) return this.requeue(from, which.id, conversationId);
    let result;
    try {
      result = await this.registry.transfer(from.room, from.session, which.id, to, this.now());
    } catch {
      return refuse('unavailable');
    }
    if (result.kind === 'refused') {
      const unknown = conversationId === undefined ? 'no_customer' : 'unknown_conversation';
      return refuse(result.reason === 'no_customer' ? unknown : result.reason === 'not_free' ? 'agent_unavailable' : 'not_in_room');
    }
    const { seat } = result;
    await this.conversations.reassignConversation(seat.conversationId, to);
    const out: Delivery[] = [{ to: [from.session], event: { kind: 'customer_transferred', customer: seat.name, to, conversationId: seat.conversationId } }];
    const newAgent = result.to.agentSession;
    const known = await this.roster.profilesOf(newAgent, seat.session);
    if (seat.session !== undefined) {
      out.push({ to: [seat.session], event: { ...agentAssigned(result.to, seat.conversationId, known), transferredFrom: from.name } });
    }
    if (newAgent !== undefined) out.push(...(await this.handOver(newAgent, seat, known, from.name)));
    return [...out, ...(await this.fillFreeRooms())];
  }

  /**
   * The agent hands the connected customer of `conversationId` back to the head of the queue:
   * the next free agent (never this one) takes the same conversation; meanwhile the customer
   * waits, told their place, and may ask the FAQ bot. The slot is free for the next customer at
   * once. `named` is what the frame named (for its errors).
   */
  private async requeue(from: Participant, conversationId: string, named: string | undefined): Promise<Delivery[]> {
    const refuse = (error: RefusedError): Delivery[] => refusal(from.session, error, undefined, named);
    let result;
    try {
      result = await this.registry.requeue(from.room as string, from.session, conversationId, this.now() + this.options.queueMaxWaitMs);
    } catch {
      return refuse('unavailable');
    }
    if (result.kind === 'refused') {
      const unknown = named === undefined ? 'no_customer' : 'unknown_conversation';
      return refuse(result.reason === 'not_owner' ? 'not_in_room' : result.reason === 'no_customer' ? unknown : result.reason);
    }
    const { seat } = result;
    const out: Delivery[] = [{ to: [from.session], event: { kind: 'customer_requeued', customer: seat.name, conversationId: seat.conversationId } }];
    if (seat.session !== undefined) {
      out.push({ to: [seat.session], event: { kind: 'requeued', agent: from.name, position: result.position, conversationId: seat.conversationId } });
    }
    return [...out, ...(await this.fillFreeRooms())];
  }

  /**
   * The agent sets their status: `away` takes no new customers (placement and transfers pass
   * them by) and keeps the current ones; back `online`, their free slots take the queue's heads.
   */
  async setStatus(from: Participant, status: AgentStatus): Promise<Delivery[]> {
    if (from.role !== 'kefu' || from.room === undefined) return refusal(from.session, 'agents_only');
    let room;
    try {
      room = await this.registry.setStatus(from.room, from.session, status);
    } catch {
      return refusal(from.session, 'unavailable');
    }
    if (!room) return refusal(from.session, 'not_in_room');
    const out: Delivery[] = [{ to: [from.session], event: { kind: 'status', status: room.status } }];
    return status === 'online' ? [...out, ...(await this.fillFreeRooms())] : out;
  }

  /** A customer handed back to the queue is placed again: same conversation, a new agent. */
  private async reseated(room: RoomView, seat: SeatView): Promise<Delivery[]> {
    await this.conversations.reassignConversation(seat.conversationId, room.agent);
    const out: Delivery[] = [];
    const known = await this.roster.profilesOf(room.agentSession, seat.session);
    if (seat.session !== undefined) out.push({ to: [seat.session], event: agentAssigned(room, seat.conversationId, known) });
    if (room.agentSession !== undefined) out.push(...(await this.handOver(room.agentSession, seat, known)));
    return out;
  }

  /**
   * What the agent who takes over a conversation gets (a transfer, or a customer handed back to
   * the queue): who came in, the whole conversation so far (its newest part if very long) as
   * history, and whether the customer is away right now.
   */
  private async handOver(agentSession: string, seat: SeatView, known: Map<string, Profile>, transferredFrom?: string): Promise<Delivery[]> {
    const record = await this.conversations.getConversation(seat.conversationId);
    const entered = customerEntered(seat.name, seat.session, seat.conversationId, record?.startedAt, known);
    const out: Delivery[] = [{ to: [agentSession], event: transferredFrom === undefined ? entered : { ...entered, transferredFrom } }];
    const after = Math.max(0, (record?.messageCount ?? 0) - this.options.replayLimit);
    for (const m of await this.conversations.messagesAfter(seat.conversationId, after, this.options.replayLimit)) {
      out.push({ to: [agentSession], event: messageEvent(m, { replay: true }) });
    }
    if (seat.session === undefined) {
      const away = { kind: 'peer_away', peer: seat.name, role: 'yonghu', graceMs: this.options.graceMs, conversationId: seat.conversationId } as const;
      out.push({ to: [agentSession], event: away });
    }
    return out;
  }
}
