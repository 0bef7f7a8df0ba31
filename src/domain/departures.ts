import type { RoomRegistry, SeatView } from '../cluster/roomRegistry.js';
import type { ConversationStore } from '../store/conversationStore.js';
import type { Participant } from './participant.js';
import type { Placement } from './placement.js';
import { refusal, type Delivery, type RefusedError, type RoomEvent } from './roomEvent.js';
import type { Roster } from './roster.js';

/** How a connection ended: on purpose (close 1000/1005) or dropped (anything else). */
export type Departure = 'deliberate' | 'dropped';

/**
 * How people leave: on purpose (the seed's leave: the conversation ends), dropped (the place is
 * held for a grace period), out of time (grace, queue wait), or all at once with a dead node.
 * Whoever is left behind is told; a freed agent takes the next customer waiting.
 */
export class Departures {
  constructor(
    private readonly registry: RoomRegistry,
    private readonly conversations: ConversationStore,
    private readonly roster: Roster,
    private readonly placement: Placement,
    private readonly graceMs: number,
    private readonly now: () => number,
  ) {}

  /** A connection ended. On purpose, the seed's leave; dropped, the place (a seat or in the queue) is held for grace. */
  async leave(who: Participant, how: Departure): Promise<Delivery[]> {
    // The session is over either way: a returning person connects with a new one.
    await this.roster.depart(who.session);
    if (who.role === 'yonghu' && who.room === undefined) {
      // Dropped while waiting: the place is kept for grace, and nobody else's position changes.
      if (how === 'dropped' && (await this.registry.markQueueAway(who.session, this.now() + this.graceMs)) !== undefined) return [];
      const left = await this.registry.leaveQueue(who.session);
      if (!left) return [];
      // Handed back to the queue and gone before another agent came: that conversation is over.
      if (left.conversationId !== undefined) await this.conversations.endConversation(left.conversationId, this.now(), 'customer_left');
      return this.placement.queuePositions();
    }
    const room = who.room as string;
    if (how === 'dropped') {
      const marked = await this.registry.markAway(room, who.role, who.session, this.now() + this.graceMs);
      if (!marked) return [];
      const away = (to: string | undefined, conversationId: string): Delivery[] =>
        to === undefined ? [] : [{ to: [to], event: { kind: 'peer_away', peer: who.name, role: who.role, graceMs: this.graceMs, conversationId } }];
      // A customer's agent hears of that one conversation; an agent's customers each of theirs.
      if (who.role === 'yonghu') return marked.seat ? away(marked.room.agentSession, marked.seat.conversationId) : [];
      return marked.room.seats.flatMap((seat) => away(seat.session, seat.conversationId));
    }
    if (who.role === 'yonghu') {
      const left = await this.registry.leaveRoom(room, who.session);
      if (!left) return [];
      const { seat } = left;
      await this.conversations.endConversation(seat.conversationId, this.now(), 'customer_left');
      const out: Delivery[] = [];
      if (left.room.agentSession !== undefined) {
        out.push({ to: [left.room.agentSession], event: { kind: 'customer_left', customer: who.name, conversationId: seat.conversationId } });
      }
      return [...out, ...(await this.placement.fillFreeRooms())];
    }
    const view = await this.registry.closeRoom(who.name, who.session);
    if (!view) return [];
    const out: Delivery[] = [];
    for (const seat of view.seats) {
      await this.conversations.endConversation(seat.conversationId, this.now(), 'agent_left');
      out.push(...dismiss(seat, who.name));
    }
    return out;
  }

  /**
   * The agent finishes one of their conversations (`conversationId`, or their only one): the
   * customer gets the agent-left path, marked `resolved` (the page offers the rating there), the
   * conversation ends, the agent is told, and the slot goes to whoever waits first.
   */
  async resolve(who: Participant, conversationId: string | undefined): Promise<Delivery[]> {
    const refuse = (error: RefusedError): Delivery[] => refusal(who.session, error, undefined, conversationId);
    if (who.role !== 'kefu' || who.room === undefined) return refuse('agents_only');
    const which = await this.placement.conversationOf(who, conversationId);
    if ('error' in which) return refuse(which.error);
    let result;
    try {
      result = await this.registry.resolve(who.room, who.session, which.id);
    } catch {
      return refuse('unavailable');
    }
    if (result.kind === 'refused')
      return refuse(result.reason === 'not_owner' ? 'not_in_room' : conversationId === undefined ? 'no_customer' : 'unknown_conversation');
    const { seat } = result;
    await this.conversations.endConversation(seat.conversationId, this.now(), 'resolved');
    const out: Delivery[] = [
      ...dismiss(seat, who.name, true),
      { to: [who.session], event: { kind: 'conversation_resolved', customer: seat.name, conversationId: seat.conversationId } },
    ];
    return [...out, ...(await this.placement.fillFreeRooms())];
  }

  /**
   * An agent whose account was disabled (or whose session ended) while connected: their
   * customers get the treatment of a dropped agent (peer_away), then go back to the head of the
   * queue for the next free agents, in seat order, conversations kept (the requeue of
   * Placement.transfer), and the room closes. A customer who is away themselves cannot hold a
   * place in the queue: their conversation ends as when an agent leaves. The agent is marked
   * away first, so the hand-over is the one atomic requeueAway of an away agent's room.
   */
  async revoke(who: Participant): Promise<Delivery[]> {
    if (who.role !== 'kefu' || who.room === undefined) return this.leave(who, 'deliberate');
    await this.roster.depart(who.session);
    const marked = await this.registry.markAway(who.room, 'kefu', who.session, this.now() + this.graceMs);
    if (!marked) return [];
    const out: Delivery[] = [];
    for (const seat of marked.room.seats) {
      if (seat.session === undefined) continue;
      out.push({ to: [seat.session], event: { kind: 'peer_away', peer: who.name, role: 'kefu', graceMs: this.graceMs, conversationId: seat.conversationId } });
    }
    out.push(...(await this.revokeAway(who.name)));
    // The agent's own socket closes next: nothing addressed to it has anybody to read it.
    return out.filter((d) => !(d.to.length === 1 && d.to[0] === who.session));
  }

  /**
   * The agent of an account whose sessions all ended, if they are away (dropped, within grace):
   * their room closes now, so they cannot come back into it. Their connected customers, told
   * peer_away when the agent dropped, go to the head of the queue at once, in seat order,
   * conversations kept, as after revoke; customers away too have their conversations ended.
   * Every node that hears the revocation may ask: the registry hands the customers on once and
   * refuses the rest, and refuses while the agent is connected (revoke, through their socket,
   * does that one).
   */
  async revokeAway(agent: string): Promise<Delivery[]> {
    const result = await this.registry.requeueAway(agent, this.now() + this.placement.queueLimits().maxWaitMs);
    if (result.kind === 'refused') return [];
    for (const seat of result.dropped) await this.conversations.endConversation(seat.conversationId, this.now(), 'agent_left');
    if (result.requeued.length === 0) return [];
    const out: Delivery[] = [];
    const handedBack = new Set<string>();
    for (const { seat, position } of result.requeued) {
      if (seat.session === undefined) continue;
      handedBack.add(seat.session);
      out.push({ to: [seat.session], event: { kind: 'requeued', agent, position, conversationId: seat.conversationId } });
    }
    const placed = await this.placement.fillFreeRooms();
    out.push(...placed);
    // Whoever waited behind the customers handed back now stands further back.
    if (placed.length === 0) out.push(...(await this.placement.queuePositions()).filter((d) => !handedBack.has(d.to[0] as string)));
    return out;
  }

  /** Ends what ran out of time; run on a timer by the transport. */
  async tick(): Promise<Delivery[]> {
    const now = this.now();
    const expired = await this.registry.expire(now);
    const out: Delivery[] = [];
    for (const { room, seat } of expired.customers) {
      await this.conversations.endConversation(seat.conversationId, now, 'customer_timeout');
      if (room.agentSession !== undefined) {
        out.push({ to: [room.agentSession], event: { kind: 'customer_left', customer: seat.name, conversationId: seat.conversationId, timeout: true } });
      }
    }
    for (const room of expired.agents) {
      for (const seat of room.seats) {
        await this.conversations.endConversation(seat.conversationId, now, 'agent_timeout');
        out.push(...dismiss(seat, room.agent));
      }
    }
    for (const w of expired.waiting) {
      if (w.conversationId !== undefined) await this.conversations.endConversation(w.conversationId, now, 'customer_timeout');
      // Away past grace: nobody connected to tell.
      if (w.session === undefined) continue;
      out.push({ to: [w.session], event: { kind: 'queue_timeout' } }, { to: [w.session], event: { kind: 'dismissed', reason: 'queue_timeout' } });
    }
    out.push(...(await this.placement.fillFreeRooms()));
    if (expired.waiting.length > 0 && !out.some((d) => d.event.kind === 'queue_position')) out.push(...(await this.placement.queuePositions()));
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
}

/**
 * The customer of `seat` whose agent is gone, or (`resolved`) finished their conversation, is
 * told so, then sent away (the seed's close command).
 */
function dismiss(seat: SeatView, agent: string, resolved = false): Delivery[] {
  if (seat.session === undefined) return [];
  const left: RoomEvent = resolved
    ? { kind: 'agent_left', agent, conversationId: seat.conversationId, resolved: true }
    : { kind: 'agent_left', agent, conversationId: seat.conversationId };
  return [
    { to: [seat.session], event: left },
    { to: [seat.session], event: { kind: 'dismissed', reason: 'agent_left' } },
  ];
}
