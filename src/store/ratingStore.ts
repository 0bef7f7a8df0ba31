/** A customer's rating of a conversation: a score of 1 to 5 and an optional comment. */
export interface ConversationRating {
  score: number;
  comment: string | null;
  ratedAt: number;
}

/** How many ratings with one score an agent has (the raw material of the per-agent summary). */
export interface RatingCount {
  agent: string;
  score: number;
  count: number;
}

/**
 * Where customers' ratings of their conversations live. A rating belongs to its conversation
 * (ConversationStore shows it on the record; the SQL stores keep it on the conversation's row),
 * and is given once.
 */
export interface RatingStore {
  /** Stores the conversation's rating; false (and nothing changed) when it already has one or there is no such conversation. */
  rateConversation(id: string, rating: ConversationRating): Promise<boolean>;
  /** Rated conversations counted by agent and score, for the ratings summary. */
  ratingCounts(): Promise<RatingCount[]>;
}
