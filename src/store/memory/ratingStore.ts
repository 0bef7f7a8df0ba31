import type { ConversationRating, RatingCount, RatingStore } from '../ratingStore.js';
import type { MemoryConversationStore } from './conversationStore.js';

/** Ratings on the in-process conversations' records (STORE=memory), as the SQL stores keep them on the rows. */
export class MemoryRatingStore implements RatingStore {
  constructor(private readonly conversations: MemoryConversationStore) {}

  async rateConversation(id: string, rating: ConversationRating): Promise<boolean> {
    return this.conversations.rate(id, rating);
  }

  async ratingCounts(): Promise<RatingCount[]> {
    return this.conversations.ratingCounts();
  }
}
