import type { Profile, ProfileDirectory } from '../cluster/profileDirectory.js';
import type { RoomRegistry, RoomView } from '../cluster/roomRegistry.js';
import type { AgentPresence } from '../protocol/frames.js';
import type { PresenceEvent, RoomEvent } from './roomEvent.js';

/** How many waiting customers presence lists by name (the console's waiting list); `waiting` counts them all. */
export const PRESENCE_QUEUE_LENGTH = 50;

/**
 * What a person chose for how others see them, a customer page's visitor id (validated by the
 * transport), and what the embedding site vouched for when it signed the visitor's identity.
 */
export interface Appearance {
  avatar?: string;
  visitorId?: string;
  /** The customer's e-mail: the site's signed one (with `verified`), else the pre-chat form's (validated by the transport). */
  email?: string;
  /** The site signed this visitor's identity (WIDGET_SECRET): their name and e-mail are the site's. */
  verified?: true;
}

/** A customer's profile also carries their visitor id, e-mail and whether the site signed them (the directories keep a profile whole). */
type VisitorProfile = Profile & Pick<Appearance, 'visitorId' | 'email' | 'verified'>;

/** The visitor id a customer's page sent, from their profile. */
export function visitorIdOf(profile: Profile | undefined): string | undefined {
  const id = (profile as VisitorProfile | undefined)?.visitorId;
  return typeof id === 'string' ? id : undefined;
}

/** The avatar of the account with this agent name, if it has one (agents of the shared key have none). */
export type AgentAvatars = (agent: string) => Promise<string | undefined>;

/** The customer's e-mail and whether the site signed their identity, from their profile. */
function contactOf(profile: Profile | undefined): { verified?: true; email?: string } {
  const p = profile as VisitorProfile | undefined;
  const contact: { verified?: true; email?: string } = {};
  if (p?.verified === true) contact.verified = true;
  if (typeof p?.email === 'string') contact.email = p.email;
  return contact;
}

/** What tells a customer who serves them. */
export type AgentAssigned = Extract<RoomEvent, { kind: 'agent_assigned' }>;

/** What tells an agent who came in. */
export type CustomerEntered = Extract<RoomEvent, { kind: 'customer_entered' }>;

/**
 * Who is connected and how they look: each connected person's profile (avatar, and when they
 * came, for the wait an agent is shown), the agents online, and the presence every agent's
 * console shows. The rest of the broker asks here rather than of the directory or the rooms.
 */
export class Roster {
  constructor(
    private readonly registry: RoomRegistry,
    private readonly profiles: ProfileDirectory,
    private readonly now: () => number,
    private readonly accountAvatar: AgentAvatars = async () => undefined,
  ) {}

  /**
   * What a customer is told of who serves them. An agent away (dropped, or not back since a
   * restart) has no profile: their account's avatar stands in, so the face does not change.
   */
  async assigned(room: RoomView, conversationId: string): Promise<AgentAssigned> {
    const event = agentAssigned(room, conversationId, await this.profilesOf(room.agentSession));
    if (room.agentSession !== undefined) return event;
    const avatar = await this.accountAvatar(room.agent);
    return avatar === undefined ? event : { ...event, avatar };
  }

  /**
   * A person connected with this appearance: kept for the other side's page as long as the
   * session lasts. `joinedAt` is now, or when a customer coming back to the queue first joined it.
   */
  async arrive(session: string, appearance: Appearance, joinedAt = this.now()): Promise<void> {
    const profile: VisitorProfile = appearance.avatar === undefined ? { joinedAt } : { avatar: appearance.avatar, joinedAt };
    if (appearance.visitorId !== undefined) profile.visitorId = appearance.visitorId;
    if (appearance.email !== undefined) profile.email = appearance.email;
    if (appearance.verified === true) profile.verified = true;
    await this.profiles.set(session, profile);
  }

  /** The session is over (a returning person connects with a new one). */
  async depart(session: string): Promise<void> {
    await this.profiles.delete(session);
  }

  /** Profiles of the sessions that are set, in one round trip to the directory. */
  profilesOf(...sessions: Array<string | undefined>): Promise<Map<string, Profile>> {
    return this.profiles.getMany(sessions.filter((s): s is string => s !== undefined));
  }

  /** The sessions of the agents connected now (free, serving or with a reserved customer), not those away. */
  async agentSessions(): Promise<string[]> {
    const agents: string[] = [];
    for (const r of await this.registry.listRooms()) if (r.agentSession !== undefined) agents.push(r.agentSession);
    return agents;
  }

  /** How many agents are connected now (free, serving or with a reserved customer), not those away. */
  async agentsOnline(): Promise<number> {
    let n = 0;
    for (const r of await this.registry.listRooms()) if (r.agentSession !== undefined) n++;
    return n;
  }

  /**
   * Every agent with a room (free, serving or away: their status, chats and capacity), how many
   * customers wait, and the first PRESENCE_QUEUE_LENGTH of them.
   */
  async presence(): Promise<PresenceEvent> {
    const [rooms, waiting] = await Promise.all([this.registry.listRooms(), this.registry.waiting()]);
    const profiles = await this.profiles.getMany(rooms.flatMap((r) => (r.agentSession === undefined ? [] : [r.agentSession])));
    const agents = rooms.map((r): AgentPresence => {
      // A reservation not used yet is nobody: only connected customers fill an agent's slots.
      const chats = r.seats.length;
      const state = r.agentSession === undefined ? 'away' : r.status === 'online' && chats < r.capacity ? 'free' : 'serving';
      const agent: AgentPresence = { name: r.agent, state, status: r.status, chats, capacity: r.capacity };
      const avatar = r.agentSession === undefined ? undefined : profiles.get(r.agentSession)?.avatar;
      if (avatar !== undefined) agent.avatar = avatar;
      return agent;
    });
    const queue = waiting.slice(0, PRESENCE_QUEUE_LENGTH).map((w) => ({ customer: w.customer, position: w.position }));
    return { kind: 'presence', agents, waiting: waiting.length, queue };
  }
}

/** The customer is told who serves them, with the agent's avatar when they picked one. */
export function agentAssigned(room: RoomView, conversationId: string, known: Map<string, Profile>): AgentAssigned {
  const event: AgentAssigned = { kind: 'agent_assigned', agent: room.agent, conversationId };
  const avatar = room.agentSession === undefined ? undefined : known.get(room.agentSession)?.avatar;
  if (avatar !== undefined) event.avatar = avatar;
  return event;
}

/**
 * The agent is told who came in, with what the console shows about them: avatar, when the
 * conversation started and how long they waited for an agent (from connecting to being seated).
 */
export function customerEntered(
  customer: string,
  customerSession: string | undefined,
  conversationId: string,
  startedAt: number | undefined,
  known: Map<string, Profile>,
): CustomerEntered {
  const event: CustomerEntered = { kind: 'customer_entered', customer, conversationId };
  if (startedAt !== undefined) event.startedAt = startedAt;
  if (customerSession === undefined) return event;
  const profile = known.get(customerSession);
  if (profile?.avatar !== undefined) event.avatar = profile.avatar;
  const visitorId = visitorIdOf(profile);
  if (visitorId !== undefined) event.visitorId = visitorId;
  Object.assign(event, contactOf(profile));
  // Only the session that waited knows the wait: one that came back later (a resume, after a
  // drop or a restart) joined after the conversation started, and would tell a wait of nothing.
  if (profile !== undefined && startedAt !== undefined && profile.joinedAt <= startedAt) event.waitedMs = startedAt - profile.joinedAt;
  return event;
}
