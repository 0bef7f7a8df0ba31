import pg from 'pg';
import type { Stores } from '../stores.js';
import { PostgresBotExchangeStore } from './botExchangeStore.js';
import { PostgresCannedReplyStore } from './cannedReplyStore.js';
import { PostgresConversationStore } from './conversationStore.js';
import { openPostgresPool, type PostgresStoreOptions } from './database.js';
import { PostgresOfflineMessageStore } from './offlineMessageStore.js';
import { PostgresRatingStore } from './ratingStore.js';
import { PostgresTeamStore } from './teamStore.js';

/**
 * The shared stores for several nodes: every store in one PostgreSQL database, through one pool,
 * connected and migrated before this resolves (the images table too: PostgresImageStore needs it).
 * Given a pool from openPostgresPool instead, they use it (the account stores share it too).
 */
export async function openPostgresStores(options: PostgresStoreOptions | pg.Pool): Promise<Stores> {
  const pool = options instanceof pg.Pool ? options : await openPostgresPool(options);
  const conversations = new PostgresConversationStore(pool);
  return {
    conversations,
    team: new PostgresTeamStore(pool),
    offlineMessages: new PostgresOfflineMessageStore(pool),
    botExchanges: new PostgresBotExchangeStore(pool),
    ratings: new PostgresRatingStore(pool),
    cannedReplies: new PostgresCannedReplyStore(pool),
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await conversations.close();
      await pool.end();
    },
  };
}
