import type { Stores } from '../stores.js';
import { SqliteBotExchangeStore } from './botExchangeStore.js';
import { SqliteCannedReplyStore } from './cannedReplyStore.js';
import { SqliteConversationStore, type SqliteStoreOptions } from './conversationStore.js';
import { startCheckpoints } from './checkpoints.js';
import { closeSqliteDatabase, openSqliteDatabase } from './database.js';
import { SqliteOfflineMessageStore } from './offlineMessageStore.js';
import { SqliteRatingStore } from './ratingStore.js';
import { SqliteTeamStore } from './teamStore.js';

/**
 * The embedded default: every store in one SQLite file (one database, one WAL, one backup),
 * opened and migrated once, its WAL checkpointed from a worker thread (startCheckpoints).
 * `file` is a path, or ':memory:' for tests that need no file.
 */
export function openSqliteStores(file: string, options: SqliteStoreOptions = {}): Stores {
  const db = openSqliteDatabase(file);
  const checkpoints = file === ':memory:' ? undefined : startCheckpoints(db, file);
  const conversations = new SqliteConversationStore(db, options);
  return {
    conversations,
    team: new SqliteTeamStore(db),
    offlineMessages: new SqliteOfflineMessageStore(db),
    botExchanges: new SqliteBotExchangeStore(db),
    ratings: new SqliteRatingStore(db),
    cannedReplies: new SqliteCannedReplyStore(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      conversations.close();
      await checkpoints?.stop();
      closeSqliteDatabase(db);
    },
  };
}
