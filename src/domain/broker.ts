import { MemoryProfileDirectory } from '../cluster/memoryProfileDirectory.js';
import type { ProfileDirectory } from '../cluster/profileDirectory.js';
import type { RoomRegistry } from '../cluster/roomRegistry.js';
import type { OfflineMessage } from '../protocol/offlineMessage.js';
import type { ImageBytes, ImageRecord, ImageStore } from '../store/imageStore.js';
import type { NewOfflineMessage } from '../store/offlineMessageStore.js';
import type { Stores } from '../store/stores.js';
import type { AgentStatus } from '../cluster/roomRegistry.js';
import { Admissions, type Admission, type Seating } from './admission.js';
import { Bot } from './bot.js';
import type { BrokerOptions } from './brokerOptions.js';
import { Departures, type Departure } from './departures.js';
import { EMPTY_FAQ } from './faq.js';
import { DEFAULT_IMAGE_LIMITS, ImageIntake, type UploadRefusal } from './imageIntake.js';
import { ImageMessages } from './imageMessages.js';
import { Messaging } from './messaging.js';
import { OfflineMessages } from './offlineMessages.js';
import type { Participant } from './participant.js';
import { Placement, type RoomOffer } from './placement.js';
import type { Delivery, PresenceEvent } from './roomEvent.js';
import { Roster, type AgentAvatars, type Appearance } from './roster.js';
import { Team } from './team.js';

// The broker's vocabulary, for callers that only know the broker.
export type { Admission, Refusal, Seating } from './admission.js';
export type { BrokerOptions } from './brokerOptions.js';
export type { Departure } from './departures.js';
export type { UploadRefusal } from './imageIntake.js';
export type { RoomOffer } from './placement.js';
export type { Appearance } from './roster.js';

/** The stores the broker writes to and reads from. */
export type BrokerStores = Pick<Stores, 'conversations' | 'team' | 'offlineMessages' | 'botExchanges'>;

/** The broker's optional collaborators; each has an in-process default or is simply absent. */
export interface BrokerParts {
  /** Avatars and join times of connected people (in-process by default). */
  profiles?: ProfileDirectory;
  /** Where uploaded images live; without one, image uploads and image messages are refused. */
  images?: ImageStore;
  /** Agents' account avatars by name, for a customer who comes back while their agent is away. */
  agentAvatars?: AgentAvatars;
}

/**
 * The rules of the support chat, as the transport sees them: agents open rooms; customers get a
 * free room or a place in a first-come-first-served queue; messages are stored, acked to the
 * sender and relayed to the peer; a dropped participant's place is held for a grace period and
 * missed messages are replayed on return. Plain TypeScript: it returns deliveries and never
 * touches a socket.
 *
 * A thin front: each job is its own part (Admissions, Placement, Messaging, ImageMessages, Bot,
 * Team, OfflineMessages, Departures, over the Roster of who is connected), wired here once.
 */
export class Broker {
  private readonly roster: Roster;
  private readonly placement: Placement;
  private readonly admissions: Admissions;
  private readonly messaging: Messaging;
  private readonly imageMessages: ImageMessages;
  private readonly team: Team;
  private readonly offlineMessages: OfflineMessages;
  private readonly departures: Departures;

  constructor(registry: RoomRegistry, stores: BrokerStores, options: BrokerOptions, parts: BrokerParts = {}) {
    const now = options.now ?? Date.now;
    const { conversations } = stores;
    this.roster = new Roster(registry, parts.profiles ?? new MemoryProfileDirectory(), now, parts.agentAvatars);
    const bot = new Bot(registry, this.roster, stores.botExchanges, options.faq ?? (() => EMPTY_FAQ), now, options.hours);
    this.placement = new Placement(registry, conversations, this.roster, bot, options, now);
    this.team = new Team(registry, stores.team, now);
    this.offlineMessages = new OfflineMessages(this.roster, stores.offlineMessages, now);
    this.admissions = new Admissions(
      registry,
      conversations,
      this.roster,
      this.placement,
      this.team,
      this.offlineMessages,
      options.replayLimit,
      options.graceMs,
      now,
    );
    this.messaging = new Messaging(registry, conversations, bot, now);
    const intake = parts.images && new ImageIntake(conversations, parts.images, options.imageLimits ?? DEFAULT_IMAGE_LIMITS, now);
    this.imageMessages = new ImageMessages(registry, this.messaging, parts.images, intake);
    this.departures = new Departures(registry, conversations, this.roster, this.placement, options.graceMs, now);
  }

  /** Re-creates rooms for conversations that were open when the server last stopped. */
  restore(): Promise<number> {
    return this.placement.restore();
  }

  /**
   * Reserves a free agent for a customer, or gives a ticket to wait in the queue with, or says
   * the queue is full. `address` is the client's (per-address share of reservations).
   */
  requestRoom(customer: string, address?: string): Promise<RoomOffer> {
    return this.placement.requestRoom(customer, address);
  }

  /**
   * An agent comes online, or back within grace; `since` is the last seq their page has.
   * `seating`: how many customers at once, and whether the console gets the inbox (a seed
   * console by default: one customer, the seed's notices).
   */
  admitAgent(session: string, name: string, since?: number, appearance?: Appearance, seating?: Seating): Promise<Admission> {
    return this.admissions.admitAgent(session, name, since, appearance, seating);
  }

  /** A customer arrives with the ticket /getroom gave them: seated, or waiting in the queue. */
  admitCustomer(session: string, name: string, ticket: string, appearance?: Appearance): Promise<Admission> {
    return this.admissions.admitCustomer(session, name, ticket, appearance);
  }

  /** A customer comes back within grace with their resume token and the last seq they saw. */
  resumeCustomer(session: string, name: string, token: string, since?: number, appearance?: Appearance): Promise<Admission> {
    return this.admissions.resumeCustomer(session, name, token, since, appearance);
  }

  /**
   * A message: stored (so the echo is an ack that means "stored"), echoed to the sender and
   * relayed to the peer if the peer is connected; a waiting customer's goes to the FAQ bot. An
   * agent with several conversations names the one it is for.
   */
  postMessage(from: Participant, content: string, cid?: string, conversationId?: string): Promise<Delivery[]> {
    return this.messaging.postMessage(from, content, cid, conversationId);
  }

  /** An image message, of an image uploaded into the sender's conversation first (uploadImage). */
  sendImage(from: Participant, imageId: string, cid?: string, conversationId?: string): Promise<Delivery[]> {
    return this.imageMessages.sendImage(from, imageId, cid, conversationId);
  }

  /** Stores an uploaded image in an open conversation, if its bytes are an image within the limits. */
  uploadImage(conversationId: string, role: 'kefu' | 'yonghu', data: Buffer | ImageBytes): Promise<ImageRecord | UploadRefusal> {
    return this.imageMessages.uploadImage(conversationId, role, data);
  }

  /** The sender is typing: the other side of the conversation is told (nothing stored, nothing acked). */
  typing(from: Participant, conversationId?: string): Promise<Delivery[]> {
    return this.messaging.typing(from, conversationId);
  }

  /** Every agent with a room (free, serving or away), how many customers wait and who waits first. */
  /** How many agents are connected now, not away (the widget's expected reply time is for them). */
  agentsOnline(): Promise<number> {
    return this.roster.agentsOnline();
  }

  presence(): Promise<PresenceEvent> {
    return this.roster.presence();
  }

  /** A team message to every connected agent, or with `to` a private note for one. */
  teamMessage(from: Participant, content: string, cid?: string, to?: string): Promise<Delivery[]> {
    return this.team.teamMessage(from, content, cid, to);
  }

  /** An agent hands a customer to another agent with a free slot (`to`), or back to the queue (no `to`). */
  transfer(from: Participant, to: string | undefined, conversationId?: string): Promise<Delivery[]> {
    return this.placement.transfer(from, to, conversationId);
  }

  /** An agent finishes a conversation: its customer is let go (agent_left, resolved) and the slot takes the next customer. */
  resolve(from: Participant, conversationId?: string): Promise<Delivery[]> {
    return this.departures.resolve(from, conversationId);
  }

  /** An agent sets whether they take new customers; back online, their free slots fill from the queue. */
  setStatus(from: Participant, status: AgentStatus): Promise<Delivery[]> {
    return this.placement.setStatus(from, status);
  }

  /** A connection ended. On purpose, the seed's leave; dropped, the place is held for grace. */
  leave(who: Participant, how: Departure): Promise<Delivery[]> {
    return this.departures.leave(who, how);
  }

  /**
   * An agent whose account was disabled (or signed out) while connected: their customers are
   * told the agent is away, then go to the head of the queue; the room closes.
   */
  revokeAgent(who: Participant): Promise<Delivery[]> {
    return this.departures.revoke(who);
  }

  /**
   * An agent whose account's sessions all ended while they were away (dropped, within grace):
   * the room closes and their customer goes to the head of the queue at once. Nothing happens
   * when the agent is connected (revokeAgent) or has no room, or another node did it first.
   */
  revokeAwayAgent(agent: string): Promise<Delivery[]> {
    return this.departures.revokeAway(agent);
  }

  /** Ends what ran out of time; run on a timer by the transport. */
  tick(): Promise<Delivery[]> {
    return this.departures.tick();
  }

  /** A node died (its heartbeat lapsed): everyone connected through it dropped at once. */
  nodeDied(node: string): Promise<Delivery[]> {
    return this.departures.nodeDied(node);
  }

  /** A customer left a message while no agent could take them: stored, and shown to any agent online. */
  leaveOfflineMessage(m: Omit<NewOfflineMessage, 'createdAt'>): Promise<{ message: OfflineMessage; deliveries: Delivery[] }> {
    return this.offlineMessages.leave(m);
  }
}
