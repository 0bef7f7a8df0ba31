import type { RoomRegistry } from '../cluster/roomRegistry.js';
import type { ConversationStore } from '../store/conversationStore.js';
import type { OfflineMessages } from './offlineMessages.js';
import type { Participant } from './participant.js';
import type { Placement } from './placement.js';
import { messageEvent, type Delivery } from './roomEvent.js';
import { agentAssigned, customerEntered, type Appearance, type Roster } from './roster.js';
import type { Team } from './team.js';
import { hashResumeToken, mintSeat } from './tickets.js';

/** Why a connection was not admitted; transport maps each to a close code. */
export type Refusal = 'name_taken' | 'unknown_ticket' | 'expired_ticket' | 'wrong_name' | 'bad_resume' | 'queue_full';

/** What admitting a connection came to: who they are and what they are told first, or why not. */
export type Admission =
  | {
      ok: true;
      participant: Participant;
      deliveries: Delivery[];
      /** The highest seq these deliveries bring the newcomer to: live frames at or below it are duplicates. */
      caughtUpTo: number;
    }
  | { ok: false; refusal: Refusal };

/**
 * Who may come in, and what they find: an agent opens their room (or comes back to it within
 * grace), a customer comes with the ticket /getroom gave them or back with their resume token;
 * whoever comes back gets what they missed replayed.
 */
export class Admissions {
  constructor(
    private readonly registry: RoomRegistry,
    private readonly conversations: ConversationStore,
    private readonly roster: Roster,
    private readonly placement: Placement,
    private readonly team: Team,
    private readonly offlineMessages: OfflineMessages,
    private readonly replayLimit: number,
    private readonly now: () => number,
  ) {}

  /** An agent comes online, or back within grace; `since` is the last seq their page has. */
  async admitAgent(session: string, name: string, since?: number, appearance: Appearance = {}): Promise<Admission> {
    const result = await this.registry.openRoom(name, session);
    if (result.kind === 'taken') return { ok: false, refusal: 'name_taken' };
    await this.roster.arrive(session, appearance);
    const participant: Participant = { session, role: 'kefu', name, room: name };
    if (result.kind === 'resumed' && result.room.customer) {
      const seat = result.room.customer;
      const { deliveries, caughtUpTo } = await this.replay(session, seat.conversationId, since, 'kefu');
      if (seat.session !== undefined) deliveries.push({ to: [seat.session], event: { kind: 'peer_back', peer: name, role: 'kefu' } });
      const record = await this.conversations.getConversation(seat.conversationId);
      deliveries.unshift({
        to: [session],
        event: customerEntered(seat.name, seat.session, seat.conversationId, record?.startedAt, await this.roster.profilesOf(seat.session)),
      });
      deliveries.unshift(...(await this.team.history(session, name)), ...(await this.offlineMessages.backlog(session)));
      return { ok: true, participant, deliveries, caughtUpTo };
    }
    const deliveries: Delivery[] = [{ to: [session], event: { kind: 'room_opened', agent: name } }];
    deliveries.push(...(await this.team.history(session, name)));
    deliveries.push(...(await this.offlineMessages.backlog(session)));
    deliveries.push(...(await this.placement.fillFreeRooms()));
    return { ok: true, participant, deliveries, caughtUpTo: 0 };
  }

  /** A customer arrives with the ticket /getroom gave them: seated, or waiting in the queue. */
  async admitCustomer(session: string, name: string, ticket: string, appearance: Appearance = {}): Promise<Admission> {
    const { token, keys } = mintSeat();
    // Before the claim: once seated, the agent's console asks for this profile.
    await this.roster.arrive(session, appearance);
    const claim = await this.registry.claimTicket(ticket, name, session, keys, this.now(), this.placement.queueLimits());
    if (claim.kind === 'refused') {
      await this.roster.depart(session);
      const refusal = ({ unknown: 'unknown_ticket', expired: 'expired_ticket', wrong_name: 'wrong_name', full: 'queue_full' } as const)[claim.reason];
      return { ok: false, refusal };
    }
    if (claim.kind === 'waiting') {
      return {
        ok: true,
        participant: { session, role: 'yonghu', name, conversationId: keys.conversationId },
        deliveries: [
          { to: [session], event: { kind: 'queue_position', position: claim.position, resume: token } },
          ...(await this.placement.queuePositions(session)),
        ],
        caughtUpTo: 0,
      };
    }
    const deliveries = await this.placement.seated(claim.room, name, session, keys.conversationId, token);
    return { ok: true, participant: { session, role: 'yonghu', name, room: claim.room.agent }, deliveries, caughtUpTo: 0 };
  }

  /** A customer comes back within grace with their resume token and the last seq they saw. */
  async resumeCustomer(session: string, name: string, token: string, since?: number, appearance: Appearance = {}): Promise<Admission> {
    const result = await this.registry.resumeCustomer(hashResumeToken(token), name, session);
    if (result.kind === 'refused') return { ok: false, refusal: 'bad_resume' };
    await this.roster.arrive(session, appearance);
    const { room, seat } = result;
    const { deliveries, caughtUpTo } = await this.replay(session, seat.conversationId, since, 'yonghu');
    deliveries.unshift({ to: [session], event: agentAssigned(room, seat.conversationId, await this.roster.profilesOf(room.agentSession)) });
    if (result.replaced !== undefined) deliveries.push({ to: [result.replaced], event: { kind: 'replaced' } });
    if (room.agentSession !== undefined) deliveries.push({ to: [room.agentSession], event: { kind: 'peer_back', peer: name, role: 'yonghu' } });
    return { ok: true, participant: { session, role: 'yonghu', name, room: room.agent }, deliveries, caughtUpTo };
  }

  /** Missed messages after `since` for a returning participant, or an explicit "not recovered". */
  private async replay(session: string, conversationId: string, since = 0, role?: 'kefu' | 'yonghu'): Promise<{ deliveries: Delivery[]; caughtUpTo: number }> {
    const missed = await this.conversations.messagesAfter(conversationId, since, this.replayLimit + 1);
    const last = missed[missed.length - 1]?.seq ?? since;
    const lastSeq = missed.length > 0 ? last : ((await this.conversations.getConversation(conversationId))?.messageCount ?? since);
    // A client ahead of the store, or too far behind to replay, is told to reload instead of given a gap.
    const recovered = since <= lastSeq && missed.length <= this.replayLimit;
    // What the other side wrote while this one was away: the agent console's unread count.
    let unread = 0;
    for (const m of missed) if (m.role !== role) unread++;
    const deliveries: Delivery[] = [{ to: [session], event: { kind: 'resumed', conversationId, recovered, lastSeq, unread } }];
    if (!recovered) return { deliveries, caughtUpTo: lastSeq };
    for (const m of missed) deliveries.push({ to: [session], event: messageEvent(m, { replay: true }) });
    return { deliveries, caughtUpTo: lastSeq };
  }
}
