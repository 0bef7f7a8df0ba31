import type Database from 'better-sqlite3';
import type { ConversationRating, RatingCount, RatingStore } from '../ratingStore.js';

/** Ratings on the conversations' rows of the embedded SQLite file (openSqliteStores). */
export class SqliteRatingStore implements RatingStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      rate: db.prepare('UPDATE conversations SET rating_score = ?, rating_comment = ?, rated_at = ? WHERE id = ? AND rated_at IS NULL'),
      counts: db.prepare('SELECT agent, rating_score AS score, COUNT(*) AS count FROM conversations WHERE rated_at IS NOT NULL GROUP BY agent, rating_score'),
    };
  }

  async rateConversation(id: string, rating: ConversationRating): Promise<boolean> {
    return this.stmts.rate.run(rating.score, rating.comment, rating.ratedAt, id).changes > 0;
  }

  async ratingCounts(): Promise<RatingCount[]> {
    return this.stmts.counts.all() as RatingCount[];
  }
}
