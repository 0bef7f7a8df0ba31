import type { RoomRegistry } from '../cluster/roomRegistry.js';
import type { ConversationStore } from '../store/conversationStore.js';
import type { OfflineMessages } from './offlineMessages.js';
import type { Participant } from './participant.js';
import type { Placement } from './placement.js';
import type { InboxConversation } from '../protocol/frames.js';
import { messageEvent, type Delivery, type RoomEvent } from './roomEvent.js';
import { customerEntered, type Appearance, type CustomerEntered, type Roster } from './roster.js';
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
      /**
       * The highest seq these deliveries bring the newcomer to, per conversation replayed: live
       * frames of that conversation at or below it are duplicates.
       */
      caughtUpTo: Map<string, number>;
    }
  | { ok: false; refusal: Refusal };

/**
 * How an agent's console holds conversations: a seed console (`inbox` false) one at a time,
 * with exactly the seed's notices; a protocol-2 console up to `capacity` (the account's), told
 * its capacity and status and given its inbox.
 */
export interface Seating {
  capacity: number;
  inbox: boolean;
}

/** A seed console: one customer at a time, the seed's notices. */
export const SEED_SEATING: Seating = { capacity: 1, inbox: false };

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
    private readonly graceMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * An agent comes online, or back within grace; `since` is the last seq their page has (of
   * their one conversation: with several, each is replayed whole). `seating` says how many
   * customers the room takes at once and whether the console gets the inbox.
   */
  async admitAgent(session: string, name: string, since?: number, appearance: Appearance = {}, seating: Seating = SEED_SEATING): Promise<Admission> {
    const result = await this.registry.openRoom(name, session, seating.capacity);
    if (result.kind === 'taken') return { ok: false, refusal: 'name_taken' };
    await this.roster.arrive(session, appearance);
    const participant: Participant = { session, role: 'kefu', name, room: name };
    if (result.kind === 'resumed' && result.room.seats.length > 0) {
      const { room } = result;
      const deliveries: Delivery[] = [...(await this.team.history(session, name)), ...(await this.offlineMessages.backlog(session))];
      const caughtUpTo = new Map<string, number>();
      // One `since` tells where the page is in one conversation only.
      const from = room.seats.length === 1 ? since : undefined;
      const known = await this.roster.profilesOf(...room.seats.map((s) => s.session));
      // The agent's return is news only to a customer told they had gone: one connected when
      // they dropped. One who came since (after a restart, or back from a drop of their own)
      // was told who serves them when they came, and heard nothing of the agent going.
      const wentAway = result.awayUntil === undefined ? undefined : result.awayUntil - this.graceMs;
      const toldAway = (customer: string): boolean => {
        const joinedAt = known.get(customer)?.joinedAt;
        return wentAway === undefined || joinedAt === undefined || joinedAt <= wentAway;
      };
      const entries: InboxConversation[] = [];
      for (const seat of room.seats) {
        const record = await this.conversations.getConversation(seat.conversationId);
        const entered = customerEntered(seat.name, seat.session, seat.conversationId, record?.startedAt, known);
        deliveries.push({ to: [session], event: entered });
        const replayed = await this.replay(session, seat.conversationId, from, 'kefu');
        deliveries.push(...replayed.deliveries);
        caughtUpTo.set(seat.conversationId, replayed.caughtUpTo);
        entries.push(inboxEntry(entered, seat.session === undefined));
        if (seat.session !== undefined && toldAway(seat.session)) {
          deliveries.push({ to: [seat.session], event: { kind: 'peer_back', peer: name, role: 'kefu', conversationId: seat.conversationId } });
        }
      }
      if (seating.inbox) deliveries.push({ to: [session], event: { kind: 'inbox', conversations: entries, capacity: room.capacity, status: room.status } });
      return { ok: true, participant, deliveries, caughtUpTo };
    }
    const status = result.kind === 'resumed' ? result.room.status : 'online';
    const opened: Delivery = {
      to: [session],
      event: seating.inbox ? { kind: 'room_opened', agent: name, capacity: seating.capacity, status } : { kind: 'room_opened', agent: name },
    };
    const deliveries: Delivery[] = [opened];
    if (seating.inbox) deliveries.push({ to: [session], event: { kind: 'inbox', conversations: [], capacity: seating.capacity, status } });
    deliveries.push(...(await this.team.history(session, name)));
    deliveries.push(...(await this.offlineMessages.backlog(session)));
    deliveries.push(...(await this.placement.fillFreeRooms()));
    return { ok: true, participant, deliveries, caughtUpTo: new Map() };
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
        caughtUpTo: new Map(),
      };
    }
    const deliveries = await this.placement.seated(claim.room, name, session, keys.conversationId, token);
    return { ok: true, participant: { session, role: 'yonghu', name, room: claim.room.agent }, deliveries, caughtUpTo: new Map() };
  }

  /**
   * A customer comes back within grace with their resume token and the last seq they saw: to
   * their seat, or to their place in the queue.
   */
  async resumeCustomer(session: string, name: string, token: string, since?: number, appearance: Appearance = {}): Promise<Admission> {
    const result = await this.registry.resumeCustomer(hashResumeToken(token), name, session);
    if (result.kind === 'refused') return { ok: false, refusal: 'bad_resume' };
    if (result.kind === 'waiting') {
      // The wait the agent is shown runs from joining the queue, not from coming back to it.
      await this.roster.arrive(session, appearance, result.waitUntil - this.placement.queueLimits().maxWaitMs);
      // Back to the place kept in the queue: told it as on arrival, then placed if a slot waits for them.
      const deliveries: Delivery[] = [{ to: [session], event: { kind: 'queue_position', position: result.position, resume: token } }];
      if (result.replaced !== undefined) deliveries.push({ to: [result.replaced], event: { kind: 'replaced' } });
      deliveries.push(...(await this.placement.fillFreeRooms()));
      return { ok: true, participant: { session, role: 'yonghu', name, conversationId: result.conversationId }, deliveries, caughtUpTo: new Map() };
    }
    await this.roster.arrive(session, appearance);
    const { room, seat } = result;
    const { deliveries, caughtUpTo } = await this.replay(session, seat.conversationId, since, 'yonghu');
    deliveries.unshift({ to: [session], event: await this.roster.assigned(room, seat.conversationId) });
    if (result.replaced !== undefined) deliveries.push({ to: [result.replaced], event: { kind: 'replaced' } });
    if (room.agentSession !== undefined) {
      deliveries.push({ to: [room.agentSession], event: { kind: 'peer_back', peer: name, role: 'yonghu', conversationId: seat.conversationId } });
    }
    return { ok: true, participant: { session, role: 'yonghu', name, room: room.agent }, deliveries, caughtUpTo: new Map([[seat.conversationId, caughtUpTo]]) };
  }

  /** Missed messages after `since` for a returning participant, or an explicit "not recovered". */
  private async replay(
    session: string,
    conversationId: string,
    said?: number,
    role?: 'kefu' | 'yonghu',
  ): Promise<{ deliveries: Delivery[]; caughtUpTo: number }> {
    const since = said ?? 0;
    const missed = await this.conversations.messagesAfter(conversationId, since, this.replayLimit + 1);
    const last = missed[missed.length - 1]?.seq ?? since;
    const lastSeq = missed.length > 0 ? last : ((await this.conversations.getConversation(conversationId))?.messageCount ?? since);
    // A client ahead of the store, or too far behind to replay, is told to reload instead of given a gap.
    const recovered = since <= lastSeq && missed.length <= this.replayLimit;
    // What the other side wrote while this one was away: the agent console's unread count. Only
    // a page that said where it was (`since`) has an unread count: without it (a reload, or a
    // console holding several conversations) everything is replayed, and counting it all would
    // call the whole conversation unread.
    const resumed: Extract<RoomEvent, { kind: 'resumed' }> = { kind: 'resumed', conversationId, recovered, lastSeq };
    if (said !== undefined) resumed.unread = missed.filter((m) => m.role !== role).length;
    const deliveries: Delivery[] = [{ to: [session], event: resumed }];
    if (!recovered) return { deliveries, caughtUpTo: lastSeq };
    for (const m of missed) deliveries.push({ to: [session], event: messageEvent(m, { replay: true }) });
    return { deliveries, caughtUpTo: lastSeq };
  }
}

/**
 * The inbox's line for a conversation: what its customer_entered says of the customer (whatever
 * that notice comes to carry, the inbox shows too), and whether they are away.
 */
function inboxEntry(entered: CustomerEntered, away: boolean): InboxConversation {
  const { kind: _kind, transferredFrom: _from, ...about } = entered;
  return { ...about, away };
}
