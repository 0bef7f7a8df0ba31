import type { RoomRegistry } from '../cluster/roomRegistry.js';
import type { ConversationRating } from '../store/ratingStore.js';
import type { Stores } from '../store/stores.js';
import type { Delivery } from './roomEvent.js';
import { hashResumeToken } from './tickets.js';

/** How long after a conversation ended its customer may still rate it. */
export const RATING_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One agent's ratings: how many, their mean, and how many of each score. */
export interface AgentRatingSummary {
  agent: string;
  count: number;
  /** Mean score, rounded to two decimals. */
  average: number;
  /** Ratings per score, keys "1" to "5". */
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

/** What a rating came to: stored (and whom to tell), or why not. */
export type RatingResult = { ok: true; rating: ConversationRating; deliveries: Delivery[] } | { ok: false; reason: 'unknown_token' | 'already_rated' };

/**
 * Satisfaction ratings: a customer rates their conversation once, with the resume token they
 * chatted with (so nobody rates someone else's), up to RATING_WINDOW_MS after it ended. The
 * agent is told if their console is connected. Plain TypeScript: returns deliveries.
 */
export class Ratings {
  private readonly now: () => number;

  constructor(
    private readonly stores: Pick<Stores, 'conversations' | 'ratings'>,
    private readonly registry: RoomRegistry,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The holder of `token` rates their conversation, once, up to RATING_WINDOW_MS after it ended. */
  async rate(token: string, score: number, comment: string | null): Promise<RatingResult> {
    const now = this.now();
    const conversation = await this.stores.conversations.conversationByResumeHash(hashResumeToken(token));
    // An open conversation may be rated too: the page offers it at the end, and the end (the
    // close of the customer's socket) may reach the server a moment after the rating.
    if (!conversation || (conversation.endedAt !== null && now - conversation.endedAt > RATING_WINDOW_MS)) {
      return { ok: false, reason: 'unknown_token' };
    }
    const rating: ConversationRating = { score, comment, ratedAt: now };
    if (!(await this.stores.ratings.rateConversation(conversation.id, rating))) return { ok: false, reason: 'already_rated' };
    const deliveries: Delivery[] = [];
    try {
      const room = await this.registry.getRoom(conversation.agent);
      if (room?.agentSession !== undefined) {
        const event = {
          kind: 'rated' as const,
          customer: conversation.customer,
          conversationId: conversation.id,
          score,
          ...(comment === null ? {} : { comment }),
        };
        deliveries.push({ to: [room.agentSession], event });
      }
    } catch {
      // The rating is stored; telling the agent is a courtesy the registry being down may skip.
    }
    return { ok: true, rating, deliveries };
  }

  /** Every rated agent's count, mean and distribution, by agent name. */
  async summary(): Promise<AgentRatingSummary[]> {
    const byAgent = new Map<string, AgentRatingSummary & { total: number }>();
    for (const { agent, score, count } of await this.stores.ratings.ratingCounts()) {
      const s = byAgent.get(agent) ?? { agent, count: 0, average: 0, total: 0, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } };
      s.count += count;
      s.total += score * count;
      s.distribution[String(score) as '1'] += count;
      byAgent.set(agent, s);
    }
    return [...byAgent.values()]
      .sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0))
      .map(({ total, ...s }) => ({ ...s, average: Math.round((total / s.count) * 100) / 100 }));
  }
}
