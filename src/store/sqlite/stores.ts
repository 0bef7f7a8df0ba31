import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Stores } from '../stores.js';
import { SqliteBotExchangeStore } from './botExchangeStore.js';
import { SqliteCannedReplyStore } from './cannedReplyStore.js';
import { SqliteConversationStore, type SqliteStoreOptions } from './conversationStore.js';
import { startCheckpoints } from './checkpoints.js';
import { closeSqliteDatabase, openSqliteDatabase } from './database.js';
import { SqliteOfflineMessageStore } from './offlineMessageStore.js';
import { SqliteRatingStore } from './ratingStore.js';
import { SearchIndex } from './searchIndex.js';
import { SqliteTeamStore } from './teamStore.js';

/**
 * The embedded default: every store in one SQLite file (one database, one WAL, one backup),
 * opened and migrated once, its WAL checkpointed from a worker thread (startCheckpoints). The
 * full-text index of messages sits beside it in FILE-search, written by a thread of its own
 * (SearchIndex): derived data, built again from the messages if it is lost.
 * `file` is a path, or ':memory:' for tests that need no file (the index then goes to a
 * temporary folder), or a database opened with openSqliteDatabase (the account stores share it:
 * sqliteAccountStores).
 */
export function openSqliteStores(file: string | Database.Database, options: SqliteStoreOptions = {}): Stores {
  const db = typeof file === 'string' ? openSqliteDatabase(file) : file;
  const checkpoints = db.memory ? undefined : startCheckpoints(db, db.name);
  const scratch = db.memory ? fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-search-')) : undefined;
  const searchIndex = new SearchIndex(
    db,
    scratch === undefined ? searchIndexFile(db.name) : path.join(scratch, 'search'),
    scratch === undefined ? db.name : null,
    options.searchPostMs,
  );
  const conversations = new SqliteConversationStore(db, searchIndex, options);
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
      await searchIndex.stop();
      await checkpoints?.stop();
      closeSqliteDatabase(db);
      if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Where the full-text index of the database in `file` is kept. */
export function searchIndexFile(file: string): string {
  return `${file}-search`;
}
