import type { RoomRegistry } from '../cluster/roomRegistry.js';
import type { ConversationStore } from '../store/conversationStore.js';
import type { Participant } from './participant.js';
import type { Placement } from './placement.js';
import type { Delivery } from './roomEvent.js';
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

  /** A connection ended. On purpose, the seed's leave; dropped, the place is held for grace. */
  async leave(who: Participant, how: Departure): Promise<Delivery[]> {
    // The session is over either way: a returning person connects with a new one.
    await this.roster.depart(who.session);
    if (who.role === 'yonghu' && who.room === undefined) {
      const left = await this.registry.leaveQueue(who.session);
      if (!left) return [];
      // Handed back to the queue and gone before another agent came: that conversation is over.
      if (left.conversationId !== undefined) await this.conversations.endConversation(left.conversationId, this.now(), 'customer_left');
      return this.placement.queuePositions();
    }
    const room = who.room as string;
    if (how === 'dropped') {
      const view = await this.registry.markAway(room, who.role, who.session, this.now() + this.graceMs);
      if (!view) return [];
      const peer = who.role === 'kefu' ? view.customer?.session : view.agentSession;
      if (peer === undefined) return [];
      return [{ to: [peer], event: { kind: 'peer_away', peer: who.name, role: who.role, graceMs: this.graceMs } }];
    }
    if (who.role === 'yonghu') {
      const view = await this.registry.leaveRoom(room, who.session);
      if (!view?.customer) return [];
      await this.conversations.endConversation(view.customer.conversationId, this.now(), 'customer_left');
      const out: Delivery[] = [];
      if (view.agentSession !== undefined) out.push({ to: [view.agentSession], event: { kind: 'customer_left', customer: who.name } });
      return [...out, ...(await this.placement.fillFreeRooms())];
    }
    const view = await this.registry.closeRoom(who.name, who.session);
    if (!view?.customer) return [];
    await this.conversations.endConversation(view.customer.conversationId, this.now(), 'agent_left');
    return dismiss(view.customer.session, who.name);
  }

  /**
   * An agent whose account was disabled (or whose session ended) while connected: their customer
   * gets the treatment of a dropped agent (peer_away), then goes back to the head of the queue for
   * the next free agent, conversation kept (the requeue of Placement.transfer), and the room
   * closes. A customer who is away themselves cannot hold a place in the queue: their
   * conversation ends as when an agent leaves.
   */
  async revoke(who: Participant): Promise<Delivery[]> {
    if (who.role !== 'kefu' || who.room === undefined) return this.leave(who, 'deliberate');
    const out: Delivery[] = [];
    const customer = (await this.registry.getRoom(who.room))?.customer?.session;
    if (customer !== undefined) {
      out.push({ to: [customer], event: { kind: 'peer_away', peer: who.name, role: 'kefu', graceMs: this.graceMs } });
      out.push(...(await this.placement.handBack(who)));
    }
    // The room closes before anyone is placed again, so nobody waiting is placed in it.
    out.push(...(await this.leave(who, 'deliberate')));
    const placed = await this.placement.fillFreeRooms();
    out.push(...placed);
    // Whoever waited behind the customer handed back now stands one further back.
    if (customer !== undefined && placed.length === 0) out.push(...(await this.placement.queuePositions(customer)));
    // The agent's own socket closes next: what the requeue told them has nobody to read it.
    return out.filter((d) => !(d.to.length === 1 && d.to[0] === who.session));
  }

  /**
   * The agent of an account whose sessions all ended, if they are away (dropped, within grace):
   * their room closes now, so they cannot come back into it. Their connected customer, told
   * peer_away when the agent dropped, goes to the head of the queue at once, conversation kept,
   * as after revoke; a customer away too has their conversation ended. Every node that hears
   * the revocation may ask: the registry hands the customer on once and refuses the rest, and
   * refuses while the agent is connected (revoke, through their socket, does that one).
   */
  async revokeAway(agent: string): Promise<Delivery[]> {
    const result = await this.registry.requeueAway(agent, this.now() + this.placement.queueLimits().maxWaitMs);
    if (result.kind === 'refused') return [];
    if (result.kind === 'closed') {
      const seat = result.from.customer;
      if (seat) await this.conversations.endConversation(seat.conversationId, this.now(), 'agent_left');
      return [];
    }
    const { seat } = result;
    const out: Delivery[] = [];
    if (seat.session !== undefined) {
      out.push({ to: [seat.session], event: { kind: 'requeued', agent, position: result.position, conversationId: seat.conversationId } });
    }
    const placed = await this.placement.fillFreeRooms();
    out.push(...placed);
    // Whoever waited behind the customer handed back now stands one further back.
    if (placed.length === 0) out.push(...(await this.placement.queuePositions(seat.session)));
    return out;
  }

  /** Ends what ran out of time; run on a timer by the transport. */
  async tick(): Promise<Delivery[]> {
    const now = this.now();
    const expired = await this.registry.expire(now);
    const out: Delivery[] = [];
    for (const { room, seat } of expired.customers) {
      await this.conversations.endConversation(seat.conversationId, now, 'customer_timeout');
      if (room.agentSession !== undefined) out.push({ to: [room.agentSession], event: { kind: 'customer_left', customer: seat.name, timeout: true } });
    }
    for (const room of expired.agents) {
      if (!room.customer) continue;
      await this.conversations.endConversation(room.customer.conversationId, now, 'agent_timeout');
      out.push(...dismiss(room.customer.session, room.agent));
    }
    for (const w of expired.waiting) {
      if (w.conversationId !== undefined) await this.conversations.endConversation(w.conversationId, now, 'customer_timeout');
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

/** The customer whose agent is gone is told so, then sent away (the seed's close command). */
function dismiss(customerSession: string | undefined, agent: string): Delivery[] {
  if (customerSession === undefined) return [];
  return [
    { to: [customerSession], event: { kind: 'agent_left', agent } },
    { to: [customerSession], event: { kind: 'dismissed', reason: 'agent_left' } },
  ];
}
