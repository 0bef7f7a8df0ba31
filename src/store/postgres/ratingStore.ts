import type pg from 'pg';
import type { ConversationRating, RatingCount, RatingStore } from '../ratingStore.js';

/** Ratings on the conversations' rows of the PostgreSQL database every node shares (openPostgresStores). */
export class PostgresRatingStore implements RatingStore {
  constructor(private readonly pool: pg.Pool) {}

  async rateConversation(id: string, rating: ConversationRating): Promise<boolean> {
    // One statement: of two ratings racing on different nodes exactly one finds rated_at NULL.
    const { rowCount } = await this.pool.query(
      'UPDATE conversations SET rating_score = $1, rating_comment = $2, rated_at = $3 WHERE id = $4 AND rated_at IS NULL',
      [rating.score, rating.comment, rating.ratedAt, id],
    );
    return (rowCount ?? 0) > 0;
  }

  async ratingCounts(): Promise<RatingCount[]> {
    const { rows } = await this.pool.query<RatingCount>(
      'SELECT agent, rating_score AS score, COUNT(*)::int AS count FROM conversations WHERE rated_at IS NOT NULL GROUP BY agent, rating_score',
    );
    return rows;
  }
}
