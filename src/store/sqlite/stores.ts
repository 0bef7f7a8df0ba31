import type Database from 'better-sqlite3';
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
 * `file` is a path, or ':memory:' for tests that need no file, or a database opened with
 * openSqliteDatabase (the account stores share it: sqliteAccountStores).
 */
export function openSqliteStores(file: string | Database.Database, options: SqliteStoreOptions = {}): Stores {
  const db = typeof file === 'string' ? openSqliteDatabase(file) : file;
  const checkpoints = db.memory ? undefined : startCheckpoints(db, db.name);
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
