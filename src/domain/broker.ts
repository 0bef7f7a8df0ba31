import type { RoomRegistry, RoomView } from '../cluster/roomRegistry.js';
import type { Participant } from './participant.js';
import type { Delivery } from './roomEvent.js';
import { newTicket } from './tickets.js';

/** Answer to a customer asking for an agent (the body of GET /getroom). */
export type RoomOffer = { room: true; kefuName: string; ticket: string } | { room: false };

/** Why a connection was not admitted; transport maps each to a close code. */
export type Refusal = 'name_taken' | 'unknown_ticket' | 'expired_ticket' | 'wrong_name';

export type Admission =
  | { ok: true; participant: Participant; deliveries: Delivery[] }
  | { ok: false; refusal: Refusal };

export interface BrokerOptions {
  ticketTtlMs: number;
  now?: () => number;
}

/**
 * The rules of the support chat: agents open rooms, customers are placed in free rooms with a
 * single-use ticket, messages go to the sender (as an echo) and to the room's peer, and leaving
 * frees or removes the room. Plain TypeScript: it returns deliveries and never touches a socket.
 */
export class Broker {
  private readonly now: () => number;

  constructor(
    private readonly registry: RoomRegistry,
    private readonly options: BrokerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Reserves a free agent for a customer, or says none is free. */
  async requestRoom(customer: string): Promise<RoomOffer> {
    const ticket = newTicket();
    const room = await this.registry.reserveRoom(customer, ticket, this.now(), this.options.ticketTtlMs);
    return room ? { room: true, kefuName: room.agent, ticket } : { room: false };
  }

  /** An agent comes online and opens their room. */
  async admitAgent(session: string, name: string): Promise<Admission> {
    if (!(await this.registry.openRoom(name, session))) return { ok: false, refusal: 'name_taken' };
    return {
      ok: true,
      participant: { session, role: 'kefu', name, room: name },
      deliveries: [{ to: [session], event: { kind: 'room_opened', agent: name } }],
    };
  }

  /** A customer arrives with the ticket /getroom gave them. */
  async admitCustomer(session: string, name: string, ticket: string): Promise<Admission> {
    const claim = await this.registry.claimTicket(ticket, name, session, this.now());
    if (!claim.ok) {
      const refusal = ({ unknown: 'unknown_ticket', expired: 'expired_ticket', wrong_name: 'wrong_name' } as const)[claim.reason];
      return { ok: false, refusal };
    }
    const { agent, agentSession } = claim.room;
    return {
      ok: true,
      participant: { session, role: 'yonghu', name, room: agent },
      deliveries: [
        { to: [session], event: { kind: 'agent_assigned', agent } },
        { to: [agentSession], event: { kind: 'customer_entered', customer: name } },
      ],
    };
  }

  /** A message: echoed to the sender and relayed to the peer, if the room has one. */
  async send(from: Participant, content: string): Promise<Delivery[]> {
    const room = await this.registry.getRoom(from.room);
    const to = [from.session];
    const peer = room && this.peerSession(room, from);
    if (peer !== undefined) to.push(peer);
    return [{ to, event: { kind: 'message', sender: from.name, role: from.role, content, ts: this.now() } }];
  }

  /** A participant's connection ended: free the customer's seat or remove the agent's room. */
  async leave(who: Participant): Promise<Delivery[]> {
    if (who.role === 'yonghu') {
      const room = await this.registry.leaveRoom(who.room, who.session);
      return room ? [{ to: [room.agentSession], event: { kind: 'customer_left', customer: who.name } }] : [];
    }
    const room = await this.registry.closeRoom(who.name, who.session);
    const customerSession = room?.customer?.session;
    if (customerSession === undefined) return [];
    return [
      { to: [customerSession], event: { kind: 'agent_left', agent: who.name } },
      { to: [customerSession], event: { kind: 'dismissed' } },
    ];
  }

  /** The other person in the room, if both are really in it. */
  private peerSession(room: RoomView, from: Participant): string | undefined {
    if (from.role === 'kefu') return room.agentSession === from.session ? room.customer?.session : undefined;
    return room.customer?.session === from.session ? room.agentSession : undefined;
  }
}
